import { describe, expect, it } from 'vitest';
import { fileNameFromContentDisposition } from '../../../../server/work-order/demo-backend/fileNameFromContentDisposition';

describe('fileNameFromContentDisposition', () => {
  it.each([
    { value: `attachment; filename="a.txt"; filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf`, name: '报告.pdf' },
    { value: 'attachment; filename="quoted \\"name\\".txt"', name: 'quoted "name".txt' },
    { value: 'attachment; filename=bare.txt', name: 'bare.txt' },
    { value: 'inline', name: undefined },
  ])('reads $name from $value', ({ value, name }) => {
    expect(fileNameFromContentDisposition(value)).toBe(name);
  });
});
