import { type ArgumentsHost, Catch, type ExceptionFilter, Inject } from '@nestjs/common';
import { LOGGER, type Logger } from '@vigil/observability';
import { type ServerResponse } from 'node:http';
import { sendErrorAnswer, toErrorAnswer } from '../http/api-error.filter';

/**
 * The Open Inference Protocol's error body is `{"error": "<message>"}`; the /v2 routes answer
 * it, keeping Vigil's envelope fields (code, details, correlation id) beside it.
 */
@Catch()
export class KServeErrorFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const answer = toErrorAnswer(error, this.logger);
    sendErrorAnswer(host.switchToHttp().getResponse<ServerResponse>(), { ...answer, body: { error: answer.body.message, ...answer.body } as typeof answer.body });
  }
}
