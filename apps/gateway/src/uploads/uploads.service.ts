import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { type IncomingMessage } from 'node:http';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { openUploadedFile } from './upload-body.reader';
import { readUploadFormat } from './upload-format.reader';
import { UploadIngestService } from './upload-ingest.service';
import { UploadLeases } from './upload-lease.service';
import { UploadSpool } from './upload-spool.service';
import { UploadsRepository } from './uploads.repository';

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
    private readonly leases: UploadLeases,
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
      const { detection, headerLine } = await readUploadFormat(file);
      await this.repository.create({
        id: jobId, fileName: upload.fileName, contentType: upload.contentType, createdBy, lease: { owner: this.leases.owner, ms: this.leases.ms },
      });
      if (!(await this.repository.claimSha(jobId, file.sha256))) {
        await this.repository.update(jobId, { state: 'duplicate' });
        const winner = await this.repository.findLiveBySha(file.sha256);
        return { jobId: winner?.id ?? jobId, duplicate: true };
      }
      await this.repository.update(jobId, {
        state: 'ingesting', bytes: file.bytes, contract: detection.contract.id, variant: detection.variant, receivedAt: new Date(),
      });
      this.ingest.start({ jobId, plan: { kind: 'publish', file, detection, headerLine, fromSeq: 0 }, spool: this.spool });
      started = true;
      return { jobId, duplicate: false };
    } finally {
      if (!started) await this.spool.remove(file.path);
    }
  }
}
