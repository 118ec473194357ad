import type { Texts } from '../../config/texts';
import type { RunTerminal } from '../dify/answerBuilder';
import type { DifyFailure } from '../dify/difyErrors';

/** How a turn ended, for the user (notice) and for ops (outcome, cause). */
export interface TurnOutcome {
  readonly outcome: 'answered' | 'partial' | 'failed';
  /** Appended to the answer (or shown alone); undefined for a clean answer. */
  readonly notice: string | undefined;
  /** Codes only, for logs and metrics. */
  readonly cause: string | undefined;
}

/** Pre-stream HTTP errors (dify-api.md §5.2): which ones only an admin can fix. */
function noticeForHttp(failure: Extract<DifyFailure, { kind: 'http' }>, texts: Texts): string {
  if (failure.status === 429) return texts.AGENT_BUSY;
  if (failure.status >= 500) return texts.AGENT_UNAVAILABLE;
  if (failure.code === 'completion_request_error') return texts.ANSWER_FAILED;
  // 400 app/provider/quota/validation, 401, 403, 404 (after the conversation fallback), 415, 200 non-SSE.
  return texts.AGENT_MISCONFIGURED;
}

function noticeForFailure(failure: DifyFailure, hasAnswer: boolean, texts: Texts): string {
  switch (failure.kind) {
    case 'http':
      return noticeForHttp(failure, texts);
    case 'network':
      return texts.AGENT_UNAVAILABLE;
    case 'connection_lost':
      return hasAnswer ? texts.INTERRUPTED : texts.AGENT_UNAVAILABLE;
    case 'idle_timeout':
    case 'deadline':
      return texts.TIMEOUT;
    case 'shutdown':
      return texts.SERVICE_RESTARTING;
    default: {
      const exhaustive: never = failure;
      return String(exhaustive);
    }
  }
}

function causeOf(failure: DifyFailure): string {
  return failure.kind === 'http' ? `http_${failure.status}_${failure.code}` : failure.kind;
}

function fromTerminal(terminal: RunTerminal | undefined, hasAnswer: boolean, texts: Texts): TurnOutcome {
  if (terminal === undefined) {
    // EOF without any terminal event: the answer may be cut short (dify-api.md §4.4).
    return {
      outcome: hasAnswer ? 'partial' : 'failed',
      notice: hasAnswer ? texts.INTERRUPTED : texts.AGENT_UNAVAILABLE,
      cause: 'eof_without_end',
    };
  }
  switch (terminal.kind) {
    case 'completed':
      return hasAnswer
        ? { outcome: 'answered', notice: undefined, cause: undefined }
        : { outcome: 'failed', notice: texts.EMPTY_ANSWER, cause: 'empty_answer' };
    case 'failed':
      return {
        outcome: hasAnswer ? 'partial' : 'failed',
        notice: texts.ANSWER_FAILED,
        cause: `stream_error_${terminal.code}`,
      };
    case 'stopped':
      return { outcome: hasAnswer ? 'partial' : 'failed', notice: texts.INTERRUPTED, cause: 'stopped' };
    case 'paused':
      return { outcome: hasAnswer ? 'partial' : 'failed', notice: texts.NEEDS_INPUT, cause: 'paused_for_input' };
    default: {
      const exhaustive: never = terminal;
      return exhaustive;
    }
  }
}

/**
 * Every way a Dify run can end, mapped to what the user reads. The partial answer is always kept and
 * the notice follows it (dify-api.md §5.3: text may already have streamed before an error).
 */
export function classifyRun(
  failure: DifyFailure | undefined,
  terminal: RunTerminal | undefined,
  answer: string,
  texts: Texts,
): TurnOutcome {
  const hasAnswer = answer.trim() !== '';
  if (failure !== undefined) {
    return {
      outcome: hasAnswer ? 'partial' : 'failed',
      notice: noticeForFailure(failure, hasAnswer, texts),
      cause: causeOf(failure),
    };
  }
  return fromTerminal(terminal, hasAnswer, texts);
}
