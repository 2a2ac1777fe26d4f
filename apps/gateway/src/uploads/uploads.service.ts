import { Inject, Injectable } from '@nestjs/common';
import { detectFormat, type FormatDetection } from '@vigil/contracts';
import { randomUUID } from 'node:crypto';
import { type IncomingMessage } from 'node:http';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { readFirstLine } from './csv-chunk.reader';
import { UploadIngestService } from './upload-ingest.service';
import { openUploadedFile } from './upload-body.reader';
import { type SpooledFile, spooledText, UploadSpool } from './upload-spool.service';
import { EmptyUploadError, NotTextError } from './uploads.errors';
import { UploadsRepository } from './uploads.repository';

const MAX_HEADER_BYTES = 1024 * 1024;

export interface AcceptedUpload {
  jobId: string;
  /** True when the same content was uploaded before: `jobId` is that job and nothing is sent again. */
  duplicate: boolean;
}

/**
 * Takes an upload: spool (hashing), refuse what is not a flow file before any row moves, find a
 * previous upload of the same bytes, else register the job and start it in the background.
 */
@Injectable()
export class UploadsService {
  private readonly spool: UploadSpool;

  constructor(
    private readonly repository: UploadsRepository,
    private readonly ingest: UploadIngestService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.spool = new UploadSpool(config.upload.spoolDir);
  }

  async accept(req: IncomingMessage, createdBy: string): Promise<AcceptedUpload> {
    const upload = openUploadedFile(req, this.config.upload.maxBytes);
    const jobId = randomUUID();
    const file = await this.spool.write(jobId, upload.bytes);
    let started = false;
    try {
      const previous = await this.repository.findLiveBySha(file.sha256);
      if (previous !== null) return { jobId: previous.id, duplicate: true };
      const { detection, headerLine } = await this.sniff(file);
      await this.repository.create({ id: jobId, fileName: upload.fileName, contentType: upload.contentType, createdBy });
      if (!(await this.repository.claimSha(jobId, file.sha256))) {
        await this.repository.update(jobId, { state: 'duplicate' });
        const winner = await this.repository.findLiveBySha(file.sha256);
        return { jobId: winner?.id ?? jobId, duplicate: true };
      }
      await this.repository.update(jobId, {
        state: 'ingesting', bytes: file.bytes, contract: detection.contract.id, variant: detection.variant, receivedAt: new Date(),
      });
      this.ingest.start({ jobId, file, detection, headerLine, spool: this.spool });
      started = true;
      return { jobId, duplicate: false };
    } finally {
      if (!started) await this.spool.remove(file.path);
    }
  }

  /** The layout from the first line; an empty, binary or unknown file is refused here with its reason. */
  private async sniff(file: SpooledFile): Promise<{ detection: FormatDetection; headerLine: string }> {
    if (file.bytes === 0) throw new EmptyUploadError();
    const first = await readFirstLine(spooledText(file), MAX_HEADER_BYTES);
    if (first === null) throw new EmptyUploadError();
    if (first.firstLine.includes('\u0000') || (first.firstLine.match(/\uFFFD/g)?.length ?? 0) > 2) {
      throw new NotTextError('its first line holds binary bytes (NUL or invalid UTF-8)');
    }
    return { detection: detectFormat(first.firstLine), headerLine: first.firstLine };
  }
}
