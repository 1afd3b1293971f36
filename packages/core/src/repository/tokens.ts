import { createInjectionToken, type InjectionToken } from '@qtp/core';
import type { UnitOfWork } from './repository.js';

/**
 * The unit of work that groups repository writes in one transaction.
 * @example
 * ```ts
 * import { UnitOfWorkToken } from '@qtp/core/repository';
 * container.register(UnitOfWorkToken, { useFactory: () => store.unitOfWork() });
 * ```
 */
export const UnitOfWorkToken: InjectionToken<UnitOfWork> = createInjectionToken('qtp.UnitOfWork');
