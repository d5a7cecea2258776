import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useEffect, useState } from 'react';
import { useApi } from '../api/api-context.tsx';
import type { ImagePage } from '../api/image-types.ts';
import { imageChoiceLabel } from '../format/image-name.ts';
import { exportQueryKeys } from './export-query-keys.ts';

/** Typing settles this long before the list is asked again. */
const searchDelayMs = 250;
const shownImages = 20;

/**
 * Picks an image with a successful scan (an image export needs its report), searched by name in
 * the API (`GET images?name=…&status=succeeded`): a form control (`value`, `onChange`: the id).
 */
export function ImagePicker({
  projectId,
  value,
  onChange,
}: {
  readonly projectId: string;
  readonly value?: string;
  readonly onChange?: (imageId: string) => void;
}) {
  const api = useApi();
  const [typed, setTyped] = useState('');
  const [name, setName] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setName(typed.trim()), searchDelayMs);
    return () => clearTimeout(timer);
  }, [typed]);
  const images = useQuery({
    queryKey: exportQueryKeys.imageSearch(projectId, name),
    queryFn: ({ signal }) =>
      api.get<ImagePage>(
        `/projects/${encodeURIComponent(projectId)}/images`,
        { name, status: ['succeeded'], limit: shownImages },
        signal,
      ),
  });
  return (
    <Select
      aria-label="Image"
      value={value}
      onChange={onChange}
      placeholder="Search images by name or tag"
      showSearch={{ filterOption: false, onSearch: setTyped }}
      loading={images.isFetching}
      notFoundContent={images.isPending ? 'Searching…' : 'No scanned image matches'}
      options={(images.data?.images ?? []).map((image) => ({
        value: image.id,
        label: imageChoiceLabel(image),
      }))}
    />
  );
}
