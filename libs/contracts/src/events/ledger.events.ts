import 'reflect-metadata'; // class-transformer's @Type reads design-time metadata through it
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  ValidateNested,
} from 'class-validator';
import { IsSafeNonNegativeInteger } from '../validation/amounts';
import { IsCurrency } from '../validation/is-currency';

/** Events published by the ledger on `payflow.ledger.v1`. */
export const LEDGER_EVENT_TYPES = ['ledger.entry_posted'] as const;

export const POSTING_DIRECTIONS = ['debit', 'credit'] as const;

export type PostingDirection = (typeof POSTING_DIRECTIONS)[number];

/** One side of a journal entry. Amounts are never negative: the direction carries the sign. */
export class LedgerPostingData {
  /** e.g. `psp_receivable:stripe`, `merchant_payable:mer_123`, `platform_fees:mer_123`. */
  @IsString()
  @IsNotEmpty()
  account!: string;

  @IsIn(POSTING_DIRECTIONS)
  direction!: PostingDirection;

  @IsSafeNonNegativeInteger()
  amount!: number;

  @IsCurrency()
  currency!: string;

  /** True for the two-phase (authorization hold) lines, which never count as available. */
  @IsOptional()
  @IsBoolean()
  pending?: boolean;
}

/** `ledger.entry_posted`: a balanced journal entry was committed. */
export class LedgerEntryPostedData {
  @IsString()
  @IsNotEmpty()
  entry_id!: string;

  /** The event the entry books: posting is idempotent on it. */
  @IsUUID('all')
  source_event_id!: string;

  /** Two or more postings whose debits equal credits per currency (enforced by the ledger's database). */
  @IsArray()
  @ArrayMinSize(2)
  @ValidateNested({ each: true })
  @Type(() => LedgerPostingData)
  postings!: LedgerPostingData[];
}
