import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { catchError, EMPTY, type Observable } from 'rxjs';
import { VigilRpcContext } from './jetstream.context';

/**
 * Keeps a handler's thrown error for the transport instead of letting Nest's default
 * filter flatten it into "Internal server error" (and log expected RetryLater/Poison as
 * crashes). Leaves HTTP and other transports untouched, so it is safe as a global.
 */
@Injectable()
export class MessagingOutcomeInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const rpc = context.switchToRpc().getContext<unknown>();
    if (!(rpc instanceof VigilRpcContext)) return next.handle();
    return next.handle().pipe(
      catchError((err: unknown) => {
        rpc.recordFailure(err);
        return EMPTY;
      }),
    );
  }
}
