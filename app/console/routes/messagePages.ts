import { Router } from 'express';
import type { Logger } from 'pino';
import { operatorName } from '../../hil/services/operatorAccounts';
import type { ConsoleQueries } from '../store/consoleQueries';
import { messageListPage } from '../views/messageList';
import { sessionOperator } from './consoleSession';
import { page, pageWork, queryText } from './pageKit';

const LIMIT = 200;

/**
 * GET /console/messages: the newest rows of the message log, searched by exact user, chat or status. The
 * question and answer text are read only when CONSOLE_SHOW_MESSAGE_TEXT=true (privacy default off).
 */
export function messagePages(deps: {
  readonly queries: ConsoleQueries;
  readonly logger: Logger;
  readonly showText: boolean;
}): Router {
  const router = Router();
  router.get(
    '/messages',
    pageWork(deps.logger, async (req, res) => {
      const user = queryText(req, 'user');
      const chat = queryText(req, 'chat');
      const status = queryText(req, 'status', 16);
      const filters = { user, chat, status };
      const rows = await deps.queries.messages({
        ...(user === undefined ? {} : { userid: user }),
        ...(chat === undefined ? {} : { chatid: chat }),
        ...(status === undefined ? {} : { status }),
        withText: deps.showText,
        limit: LIMIT,
      });
      const operator = operatorName(sessionOperator(res));
      page(res, 200, messageListPage({ operator, filters, rows, withText: deps.showText }));
    }),
  );
  return router;
}
