import { Tag } from 'antd';
import type { HandlingState } from '../api/handling-types.ts';
import { handlingStateColors, handlingStateLabels } from './handling-labels.ts';

/** A finding's handling state in an image, as a tag. */
export function HandlingStateTag({ state }: { readonly state: HandlingState }) {
  return (
    <Tag color={handlingStateColors[state]} data-handling={state}>
      {handlingStateLabels[state]}
    </Tag>
  );
}
