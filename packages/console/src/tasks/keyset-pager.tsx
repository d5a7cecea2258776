import { Button, Flex, Select, Typography } from 'antd';
import { taskPageSizes, type KeysetCursor } from './keyset-paging.ts';
import type { KeysetPages } from './use-keyset-pages.ts';

/**
 * The pager of a task list: newest, newer and older pages and the page size. The API counts no
 * total, so the pager shows the page number and whether there is more, not "x of y".
 */
export function KeysetPager({
  pages,
  next,
  shown,
  pageSize,
  noun,
  onPageSize,
}: {
  readonly pages: KeysetPages;
  /** The start of the older page, if there is one. */
  readonly next: KeysetCursor | undefined;
  /** Rows on this page. */
  readonly shown: number;
  readonly pageSize: number;
  /** What the rows are, in the plural ("scan tasks"). */
  readonly noun: string;
  readonly onPageSize: (size: number) => void;
}) {
  return (
    <Flex
      justify="flex-end"
      align="center"
      gap={8}
      style={{ marginTop: 16 }}
      role="navigation"
      aria-label={`${noun} pages`}
    >
      <Typography.Text type="secondary" data-testid="task-page">
        Page {pages.page}
        {shown > 0 ? ` · ${shown} ${noun}` : ''}
      </Typography.Text>
      <Button size="small" onClick={pages.newest} disabled={pages.page <= 2}>
        Newest
      </Button>
      <Button size="small" onClick={pages.newer} disabled={pages.page === 1}>
        Newer
      </Button>
      <Button size="small" onClick={() => next && pages.older(next)} disabled={!next}>
        Older
      </Button>
      <Select
        size="small"
        aria-label="Rows per page"
        value={pageSize}
        style={{ width: 110 }}
        options={taskPageSizes.map((size) => ({ value: size, label: `${size} / page` }))}
        onChange={onPageSize}
      />
    </Flex>
  );
}
