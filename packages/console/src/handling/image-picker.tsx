import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useState } from 'react';
import { useApi } from '../api/api-context.tsx';
import type { ImagePage } from '../api/image-types.ts';
import { imageChoiceLabel } from '../format/image-name.ts';
import { handlingQueryKeys } from './handling-query-keys.ts';

/** An image the picker can offer, as `repository:tag` (with its registry). */
export interface ImageChoice {
  readonly id: string;
  readonly label: string;
}

const searchLimit = 20;

/**
 * Chooses images of the project: `known` ones (the images a finding affects) are offered first;
 * typing searches the image list by name (`GET images?name=`, 20 at a time). A form field: `value`
 * and `onChange` carry image ids.
 */
export function ImagePicker({
  projectId,
  known = [],
  multiple,
  value,
  onChange,
  disabled,
  id,
}: {
  readonly projectId: string;
  readonly known?: readonly ImageChoice[];
  readonly multiple: boolean;
  readonly value?: string | readonly string[];
  readonly onChange?: (value: string | readonly string[]) => void;
  readonly disabled?: boolean;
  readonly id?: string;
}) {
  const api = useApi();
  const [text, setText] = useState('');
  const [labels, setLabels] = useState<ReadonlyMap<string, string>>(
    () => new Map(known.map((choice) => [choice.id, choice.label])),
  );
  const search = useQuery({
    queryKey: handlingQueryKeys.imageSearch(projectId, text),
    queryFn: ({ signal }) =>
      api.get<ImagePage>(
        `/projects/${encodeURIComponent(projectId)}/images`,
        { name: text, limit: searchLimit },
        signal,
      ),
    enabled: text.trim() !== '',
    placeholderData: keepPreviousData,
  });
  const found: readonly ImageChoice[] =
    text.trim() === ''
      ? []
      : (search.data?.images ?? []).map((image) => ({
          id: image.id,
          label: imageChoiceLabel(image),
        }));
  const selected = value === undefined ? [] : typeof value === 'string' ? [value] : value;
  const options = new Map<string, string>();
  for (const choice of known) options.set(choice.id, choice.label);
  for (const choice of found) options.set(choice.id, choice.label);
  for (const imageId of selected) options.set(imageId, labels.get(imageId) ?? imageId);

  const remember = (ids: readonly string[]) =>
    setLabels((current) => {
      const next = new Map(current);
      for (const imageId of ids) {
        const label = options.get(imageId);
        if (label !== undefined) next.set(imageId, label);
      }
      return next;
    });

  return (
    <Select
      id={id}
      mode={multiple ? 'multiple' : undefined}
      value={multiple ? [...selected] : selected[0]}
      onChange={(next: string | string[]) => {
        const ids = typeof next === 'string' ? [next] : next;
        remember(ids);
        onChange?.(multiple ? ids : (ids[0] ?? ''));
      }}
      showSearch={{ filterOption: false, onSearch: setText }}
      loading={search.isFetching}
      disabled={disabled}
      placeholder="Type part of an image name"
      notFoundContent={text.trim() === '' ? 'Type to search the images' : 'No image matches'}
      options={[...options].map(([imageId, label]) => ({ value: imageId, label }))}
    />
  );
}
