import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'allowlist' })
export class AllowlistEntity {
  @PrimaryColumn({ type: 'text' }) cidr!: string;
  @Column({ type: 'text' }) note!: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'created_by', type: 'text' }) createdBy!: string;
}
