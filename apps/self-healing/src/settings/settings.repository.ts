import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SettingEntity } from './settings.entity';

export interface SimulationSetting {
  readonly enabled: boolean;
  readonly reason: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

/** Service-wide switches that must survive restarts (simulation mode). */
@Injectable()
export class SettingsRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  /** The persisted simulation switch; ON when the row is missing, so a damaged install fails safe. */
  async getSimulation(): Promise<SimulationSetting> {
    const row = await this.ds.getRepository(SettingEntity).findOneBy({ key: 'simulation' });
    if (!row) return { enabled: true, reason: 'no setting stored', updatedAt: new Date(0).toISOString(), updatedBy: 'default' };
    return { enabled: row.value['enabled'] !== false, reason: String(row.value['reason'] ?? ''), updatedAt: row.updatedAt.toISOString(), updatedBy: row.updatedBy };
  }

  async setSimulation(args: { enabled: boolean; actor: string; reason: string; at: Date }): Promise<SimulationSetting> {
    await this.ds.getRepository(SettingEntity).save({ key: 'simulation', value: { enabled: args.enabled, reason: args.reason }, updatedAt: args.at, updatedBy: args.actor });
    return { enabled: args.enabled, reason: args.reason, updatedAt: args.at.toISOString(), updatedBy: args.actor };
  }
}
