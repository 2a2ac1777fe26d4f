import { Inject, Injectable } from '@nestjs/common';
import { policySchema, type Policy } from '@vigil/contracts';
import { DataSource } from 'typeorm';
import { PolicyEntity } from './policy.entity';

/** Policies edited through the API (the top layer over the file and the shipped defaults). */
@Injectable()
export class PolicyRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  async list(): Promise<Policy[]> {
    const rows = await this.ds.getRepository(PolicyEntity).find({ order: { contract: 'ASC', attackClass: 'ASC' } });
    // Re-validated on read: a row written by an older version still has to make sense today.
    return rows.map((row) => policySchema.parse(row.body));
  }

  async upsert(args: { policy: Policy; actor: string; at: Date }): Promise<void> {
    await this.ds.getRepository(PolicyEntity).save({
      contract: args.policy.contract, attackClass: args.policy.attackClass, body: args.policy, updatedAt: args.at, updatedBy: args.actor,
    });
  }

  async remove(contract: string, attackClass: string): Promise<boolean> {
    const result = await this.ds.getRepository(PolicyEntity).delete({ contract, attackClass });
    return (result.affected ?? 0) > 0;
  }
}
