import { detectFormat, type FormatDetection } from '@vigil/contracts';
import { readFirstLine } from './csv-chunk.reader';
import { type SpooledFile, spooledText } from './upload-spool.service';
import { EmptyUploadError, NotTextError } from './uploads.errors';

const MAX_HEADER_BYTES = 1024 * 1024;

export interface UploadFormat {
  detection: FormatDetection;
  /** The file's first line as written (it travels with every chunk). */
  headerLine: string;
}

/**
 * The layout from the first line; an empty, binary or unknown file is refused with its reason.
 * Deterministic for the same bytes, so a resumed job sends the same chunks as the first run.
 */
export async function readUploadFormat(file: SpooledFile): Promise<UploadFormat> {
  if (file.bytes === 0) throw new EmptyUploadError();
  const first = await readFirstLine(spooledText(file), MAX_HEADER_BYTES);
  if (first === null) throw new EmptyUploadError();
  if (first.firstLine.includes('\u0000') || (first.firstLine.match(/\uFFFD/g)?.length ?? 0) > 2) {
    throw new NotTextError('its first line holds binary bytes (NUL or invalid UTF-8)');
  }
  return { detection: detectFormat(first.firstLine), headerLine: first.firstLine };
}
