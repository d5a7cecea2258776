import { Button } from 'antd';
import { EmptyState } from './empty-state.tsx';

/** A filtered list came out empty: says so (not "nothing yet"), and offers to reset the filters. */
export function NoMatchState({
  noun,
  onReset,
}: {
  /** What the list holds, singular ("image", "scan task"). */
  readonly noun: string;
  /** Clears the filters; no button without it. */
  readonly onReset?: () => void;
}) {
  return (
    <EmptyState
      title={`No ${noun} matches these filters`}
      description="Change or reset the filters."
      action={onReset ? <Button onClick={onReset}>Reset filters</Button> : undefined}
    />
  );
}
