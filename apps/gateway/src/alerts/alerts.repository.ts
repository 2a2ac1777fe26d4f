import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InvalidCursorError } from './alerts.errors';
import { type ThreatExplanation } from '@vigil/contracts';
import { namedFeatures } from './alert-features.service';
import { type Alert, type ListAlertsQuery } from './alerts.schemas';

export interface AlertRow {
  flow_id: string; at: Date; contract: string; sensor: string; batch_id: string; job_id: string | null;
  src_ip: string | null; dst_ip: string | null; src_port: number | null; dst_port: number | null; protocol: string | null;
  envelope: Record<string, unknown>; attack_class: string; probability: number; top: { class: string; probability: number }[];
  detector_probability: number; detector: string; classifier: string; ingested_at: Date; detected_at: Date;
  explanation: ThreatExplanation | null;
}

interface AlertDetailRow extends AlertRow {
  features: Buffer | null; contract_version: number | null;
}

/** Keyset pagination on (at, flow_id) descending: stable under inserts, no OFFSET scans. */
@Injectable()
export class AlertsRepository {
  constructor(private readonly db: DataSource) {}

  async list(query: ListAlertsQuery): Promise<{ items: Alert[]; nextCursor: string | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown): void => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (query.from) add('at >= ?', query.from);
    if (query.to) add('at < ?', query.to);
    if (query.contract) add('contract = ?', query.contract);
    if (query.class) add('attack_class = ?', query.class);
    if (query.sourceIp) add('src_ip = ?', query.sourceIp);
    if (query.minConfidence !== undefined) add('probability >= ?', query.minConfidence);
    if (query.jobId) add('job_id = ?', query.jobId);
    if (query.cursor) {
      const { at, id } = decodeCursor(query.cursor);
      params.push(at, id);
      where.push(`(at, flow_id) < ($${params.length - 1}, $${params.length})`);
    }
    params.push(query.limit + 1);
    const rows: AlertRow[] = await this.db.query(
      `SELECT * FROM alerts ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, flow_id DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return { items: page.map(toAlert), nextCursor: rows.length > query.limit && last ? encodeCursor(last.at, last.flow_id) : null };
  }

  /** One alert with the flow's feature values (when the detection result that carried them was stored). */
  async get(id: string): Promise<Alert | null> {
    const rows: AlertDetailRow[] = await this.db.query(
      `SELECT a.*, f.features, f.contract_version FROM alerts a LEFT JOIN flow_features f ON f.flow_id = a.flow_id WHERE a.flow_id = $1`, [id],
    );
    const r = rows[0];
    if (r === undefined) return null;
    const features = r.features === null || r.contract_version === null ? null : namedFeatures({ contract: r.contract, contractVersion: r.contract_version, packed: r.features });
    return { ...toAlert(r), features };
  }
}

function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  if (Number.isNaN(date.getTime()) || !/^[0-9a-f]{32}$/.test(id ?? '')) throw new InvalidCursorError();
  return { at: date, id };
}

function splitModel(ref: string): { name: string; version: string } {
  const at = ref.lastIndexOf('@');
  return at < 0 ? { name: ref, version: '' } : { name: ref.slice(0, at), version: ref.slice(at + 1) };
}

export function toAlert(r: AlertRow): Alert {
  return {
    id: r.flow_id, at: r.at.toISOString(), contract: r.contract, sensor: r.sensor, jobId: r.job_id, batchId: r.batch_id,
    sourceIp: r.src_ip, destinationIp: r.dst_ip, sourcePort: r.src_port, destinationPort: r.dst_port, protocol: r.protocol,
    attackClass: r.attack_class, confidence: r.probability, top: r.top,
    detector: { ...splitModel(r.detector), probability: r.detector_probability },
    classifier: { ...splitModel(r.classifier), probability: r.probability },
    envelope: r.envelope, explanation: r.explanation ?? null, ingestedAt: r.ingested_at.toISOString(), detectedAt: r.detected_at.toISOString(),
  };
}
