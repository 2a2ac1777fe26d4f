import { Module } from '@nestjs/common';
import { DecisionsController } from './decisions.controller';
import { DecisionsService } from './decisions.service';
import { SafetyController } from './safety.controller';
import { SelfHealingRequests } from './self-healing-requests.service';

/** Decisions, simulation, allowlist and policies: HTTP over self-healing's request/reply API. */
@Module({
  controllers: [DecisionsController, SafetyController],
  providers: [SelfHealingRequests, DecisionsService],
  exports: [SelfHealingRequests],
})
export class DecisionsModule {}
