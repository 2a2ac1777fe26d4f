import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AllowlistEntity } from './allowlist.entity';

@Injectable()
export class AllowlistRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  list(): Promise<AllowlistEntity[]> {
    return this.ds.getRepository(AllowlistEntity).find({ order: { createdAt: 'ASC' } });
  }

  async add(entry: AllowlistEntity): Promise<AllowlistEntity> {
    return this.ds.getRepository(AllowlistEntity).save(entry);
  }

  async remove(cidr: string): Promise<boolean> {
    const result = await this.ds.getRepository(AllowlistEntity).delete({ cidr });
    return (result.affected ?? 0) > 0;
  }
}
