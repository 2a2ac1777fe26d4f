import { Module } from '@nestjs/common';
import { DecisionsModule } from '../decisions/decisions.module';
import { BouncerCursorRepository } from './bouncer-cursor.repository';
import { CrowdSecController } from './crowdsec.controller';
import { CrowdSecService } from './crowdsec.service';

/** CrowdSec Local API compatibility for bouncers (`/v1/decisions/stream`, `/v1/decisions`). */
@Module({
  imports: [DecisionsModule],
  controllers: [CrowdSecController],
  providers: [BouncerCursorRepository, CrowdSecService],
})
export class CrowdSecModule {}
