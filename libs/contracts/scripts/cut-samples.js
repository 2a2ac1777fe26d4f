#!/usr/bin/env node
// Regenerates libs/contracts/test-data/*.gz from ../shared/datasets (relative to the repo root),
// deterministically: for every class, the first N rows of the dataset file in file order
// (the files are already in a fixed pseudo-random order). Run: node libs/contracts/scripts/cut-samples.js
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const datasets = path.resolve(repoRoot, '..', 'shared', 'datasets');
const out = path.resolve(__dirname, '..', 'test-data');

function lines(file) {
  const text = zlib.gunzipSync(fs.readFileSync(path.join(datasets, file))).toString('latin1');
  return text.split('\n').filter((l) => l.length > 0);
}

/** First `perClass` rows of every class, in file order. */
function perClass(rows, labelOf, perClassCount) {
  const seen = new Map();
  return rows.filter((row) => {
    const label = labelOf(row);
    const n = seen.get(label) ?? 0;
    seen.set(label, n + 1);
    return n < perClassCount;
  });
}

function write(name, textLines) {
  // latin1 round-trips the bytes we read, so UTF-8 text stays byte-identical.
  const bytes = Buffer.from(textLines.join('\n') + '\n', 'latin1');
  fs.writeFileSync(path.join(out, name), zlib.gzipSync(bytes, { level: 9 }));
  return `${name}: ${textLines.length} lines, ${bytes.length} bytes raw`;
}

const lastField = (row) => row.slice(row.lastIndexOf(',') + 1);
const report = [];

// 1. NSL-KDD UNB text: 20 rows of every attack label of KDDTrain+ (all rows of rarer ones).
const kdd = lines('nsl-kdd/KDDTrain+.txt.gz');
report.push(write('nsl-kdd-train.txt.gz', perClass(kdd, (r) => r.split(',')[41], 20)));

// 2. CIC-IDS2017 MachineLearningCVE: original header bytes, 25 rows per class.
const [mlcveHeader, ...mlcve] = lines('cic-ids2017/train.csv.gz');
const mlcveRows = perClass(mlcve, lastField, 25);
report.push(write('cic-ids2017-mlcve.csv.gz', [mlcveHeader, ...mlcveRows]));

// 2b. The same rows with the web-attack dash written as UNB's raw cp1252 byte 0x96.
const enDashUtf8 = Buffer.from('\u2013', 'utf8').toString('latin1');
report.push(write('cic-ids2017-mlcve-cp1252.csv.gz', [mlcveHeader, ...mlcveRows.map((r) => r.split(enDashUtf8).join('\x96'))]));

// 3. westernoc2 copies: 25 rows per class.
const [westHeader, ...west] = lines('cic-ids2017-westernoc2-sample/train.csv.gz');
report.push(write('cic-ids2017-westernoc2.csv.gz', [westHeader, ...perClass(west, lastField, 25)]));

// 4. improved CIC-IDS2017: 20 rows per class (Label is the second-last column).
const [improvedHeader, ...improved] = lines('cic-ids2017-improved/train.csv.gz');
const labelOfImproved = (r) => r.split(',').at(-2);
const improvedRows = perClass(improved, labelOfImproved, 20);
report.push(write('cic-ids2017-improved.csv.gz', [improvedHeader, ...improvedRows]));

// 5. CSE-CIC-IDS2018 layout built from the improved rows (see test-data/README.md).
report.push(write('cse-cic-ids2018-style.csv.gz', cse2018(improvedHeader, improvedRows)));

function cse2018(header, rows) {
  const names = header.split(',');
  const map = JSON.parse(fs.readFileSync(path.join(__dirname, 'cse-cic-ids2018-columns.json'), 'utf8'));
  const columns = map.columns.map(([cse, improvedName]) => [cse, names.indexOf(improvedName)]);
  const missing = columns.filter(([, i]) => i < 0);
  if (missing.length > 0) throw new Error(`improved header lacks ${missing.map(([c]) => c)}`);
  const body = rows.map((row) => {
    const cells = row.split(',');
    return columns.map(([cse, i]) => {
      if (cse === 'Timestamp') return toCseTimestamp(cells[i]);
      if (cse === 'Label') return map.labels[cells[i]] ?? cells[i];
      return cells[i];
    }).join(',');
  });
  return [columns.map(([cse]) => cse).join(','), ...body];
}

// CSE-CIC-IDS2018 writes dd/mm/yyyy HH:MM:SS.
function toCseTimestamp(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}:\d{2}:\d{2})/.exec(iso);
  if (!m) throw new Error(`unexpected timestamp ${iso}`);
  return `${m[3]}/${m[2]}/${m[1]} ${m[4]}`;
}

process.stdout.write(report.join('\n') + '\n');
