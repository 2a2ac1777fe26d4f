import { type Policy } from '@vigil/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A policy edited through the API; it overrides the file and the shipped default of its key. */
@Entity({ name: 'policies' })
export class PolicyEntity {
  @PrimaryColumn({ type: 'text' }) contract!: string;
  @PrimaryColumn({ name: 'attack_class', type: 'text' }) attackClass!: string;
  @Column({ type: 'jsonb' }) body!: Policy;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @Column({ name: 'updated_by', type: 'text' }) updatedBy!: string;
}
