import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HistoryEntry } from '../image/types.ts';
import { baseImageLayerCount } from './base-image-layers.ts';

const layer = (createdBy: string): HistoryEntry => ({ createdBy, emptyLayer: false });
const meta = (createdBy: string): HistoryEntry => ({ createdBy, emptyLayer: true });

describe('baseImageLayerCount', () => {
  it('counts the layers up to the base image closing CMD (classic builder history)', () => {
    const history = [
      layer(
        '/bin/sh -c #(nop) ADD file:4b03b5f551e3fbdf47ec609712007327828f7530cc3455c43bbcdcaf449a75a9 in / ',
      ),
      meta('/bin/sh -c #(nop)  CMD ["bash"]'),
      layer('/bin/sh -c apt-get update && apt-get install -y curl'),
      meta('/bin/sh -c #(nop)  ENV APP=1'),
      layer('/bin/sh -c #(nop) COPY dir:abc in /app '),
      meta('/bin/sh -c #(nop)  CMD ["/app/run"]'),
    ];
    assert.equal(baseImageLayerCount(history), 1);
  });

  it('takes the last boundary followed by layers: a base built on another base (BuildKit history)', () => {
    const history = [
      layer('ADD alpine-minirootfs.tar.gz / # buildkit'),
      meta('CMD ["/bin/sh"]'),
      layer('RUN /bin/sh -c apk add --no-cache python3 # buildkit'),
      meta('ENTRYPOINT ["python3"]'),
      layer('COPY app.py /app/ # buildkit'),
      layer('RUN /bin/sh -c pip install flask # buildkit'),
      meta('CMD ["app.py"]'),
    ];
    assert.equal(baseImageLayerCount(history), 2);
  });

  it('is 0 without a boundary, or when nothing was built after it', () => {
    assert.equal(baseImageLayerCount([]), 0);
    assert.equal(baseImageLayerCount([layer('ADD rootfs.tar /'), layer('RUN make')]), 0);
    assert.equal(baseImageLayerCount([layer('ADD rootfs.tar /'), meta('CMD ["sh"]')]), 0);
    // A CMD that is not metadata-only (it made a layer) is no boundary.
    assert.equal(baseImageLayerCount([layer('ADD rootfs.tar /'), layer('CMD ["sh"]'), layer('RUN x')]), 0);
  });
});
