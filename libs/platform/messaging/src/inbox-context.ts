import { BaseRpcContext } from '@nestjs/microservices';
import type { EntityManager } from 'typeorm';

export interface InboxMessageMeta {
  topic: string;
  partition: number;
  /** Offset of the message (or of the last message, for a batch handler). */
  offset: string;
  consumer: string;
}

/**
 * What a handler receives besides the event: the transaction it must write in (the inbox insert is
 * already part of it, and it commits only if the handler resolves) and where the message came from.
 */
export class InboxContext extends BaseRpcContext<[EntityManager, InboxMessageMeta]> {
  get tx(): EntityManager {
    return this.args[0];
  }

  get meta(): InboxMessageMeta {
    return this.args[1];
  }
}
