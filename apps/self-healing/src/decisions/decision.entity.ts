import { type DecisionKind, type DecisionOrigin, type DecisionReason, type DecisionScope, type DecisionStatus } from '@vigil/contracts';
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'decisions' })
export class DecisionEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ type: 'integer' }) version!: number;
  @Column({ type: 'text' }) scope!: DecisionScope;
  @Column({ type: 'text' }) value!: string;
  @Column({ type: 'text' }) action!: DecisionKind;
  @Column({ type: 'text' }) origin!: DecisionOrigin;
  @Column({ type: 'text' }) status!: DecisionStatus;
  @Column({ type: 'jsonb' }) reason!: DecisionReason;
  @Column({ name: 'duration_seconds', type: 'integer' }) durationSeconds!: number;
  @Column({ name: 'escalation_level', type: 'integer' }) escalationLevel!: number;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt!: Date;
  @Column({ name: 'flow_ids', type: 'jsonb' }) flowIds!: string[];
  @Column({ name: 'alert_ids', type: 'jsonb' }) alertIds!: string[];
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError!: string | null;
}

@Entity({ name: 'decision_audit' })
export class DecisionAuditEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ name: 'decision_id', type: 'uuid' }) decisionId!: string;
  @Column({ type: 'timestamptz' }) at!: Date;
  @Column({ name: 'from_status', type: 'text', nullable: true }) fromStatus!: DecisionStatus | null;
  @Column({ name: 'to_status', type: 'text' }) toStatus!: DecisionStatus;
  @Column({ type: 'text' }) actor!: string;
  @Column({ type: 'text' }) reason!: string;
  @Column({ type: 'jsonb', nullable: true }) details!: Record<string, unknown> | null;
}
