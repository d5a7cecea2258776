import { Result } from 'antd';
import { Suspense } from 'react';
import { usePermission } from '../access/use-permission.ts';
import { LoadingState } from '../states/loading-state.tsx';
import type { ConsoleSection } from './console-sections.tsx';

function Guarded({
  section,
}: {
  readonly section: ConsoleSection & { readonly permission: NonNullable<ConsoleSection['permission']> };
}) {
  const access = usePermission(section.permission);
  if (!access.allowed)
    return (
      <Result status="403" title={`${section.label} is not available to you`} subTitle={access.reason} />
    );
  return <section.Page />;
}

/**
 * One page of the console behind its permission: a user who opens a page their role does not
 * allow (a bookmark, a shared link) is told why instead of meeting a row of API errors.
 */
export function SectionPage({ section }: { readonly section: ConsoleSection }) {
  const { permission } = section;
  return (
    <Suspense fallback={<LoadingState label={`Loading ${section.label}…`} />}>
      {permission === undefined ? <section.Page /> : <Guarded section={{ ...section, permission }} />}
    </Suspense>
  );
}
