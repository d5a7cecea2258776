import { Flex, Spin } from 'antd';

/** What a page or panel shows while its data loads (says what it waits for, for screen readers too). */
export function LoadingState({
  label = 'Loading…',
  minHeight = 200,
}: {
  readonly label?: string;
  readonly minHeight?: number;
}) {
  return (
    <Flex align="center" justify="center" style={{ minHeight }} role="status" aria-live="polite">
      <Spin description={label} />
    </Flex>
  );
}
