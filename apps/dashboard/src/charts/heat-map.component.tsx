import { formatCount, formatPercent } from '../format/format';
import { confusionCells } from '../models/models.state';

/** A confusion matrix as a table whose cells are shaded by their share of the true class. */
export function ConfusionHeatMap({ labels, matrix, caption }: { labels: readonly string[]; matrix: readonly (readonly number[])[]; caption: string }) {
  const cells = confusionCells(matrix);
  return (
    <div class="table-scroll">
      <table class="heat-map">
        <caption>{caption} (rows: true class, columns: predicted; shade: share of the row)</caption>
        <thead>
          <tr>
            <th scope="col"><span class="visually-hidden">true \ predicted</span></th>
            {labels.map((l) => <th key={l} scope="col" class="heat-col">{l}</th>)}
          </tr>
        </thead>
        <tbody>
          {cells.map((row, i) => (
            <tr key={labels[i] ?? i}>
              <th scope="row">{labels[i] ?? `#${i}`}</th>
              {row.map((c, j) => (
                <td key={j} style={{ background: c.fill, color: c.text }} title={`${labels[i]} → ${labels[j]}: ${c.count} (${formatPercent(c.ratio)})`}>
                  {formatCount(c.count)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
