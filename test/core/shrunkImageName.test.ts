import { describe, expect, it } from 'vitest';
import { shrunkImageName } from '../../src/core/shrunkImageName';

describe('shrunkImageName', () => {
  it.each([
    ['IMG_1234.HEIC', 'image/jpeg', 'IMG_1234.jpg'],
    ['IMG_1234.JPG', 'image/jpeg', 'IMG_1234.jpg'],
    ['photo.jpeg', 'image/jpeg', 'photo.jpg'],
    ['scan.final.png', 'image/webp', 'scan.final.webp'],
    ['scan.final.png', 'image/jpeg', 'scan.final.jpg'],
    ['screenshot.webp', 'image/jpeg', 'screenshot.jpg'],
    ['photo', 'image/jpeg', 'photo.jpg'],
    ['report.v2', 'image/jpeg', 'report.v2.jpg'],
    ['.png', 'image/webp', 'image.webp'],
    ['', 'image/jpeg', 'image.jpg'],
    ['截图 2026-12-02.png', 'image/jpeg', '截图 2026-12-02.jpg'],
  ] as const)('%s as %s is %s', (name, type, expected) => {
    expect(shrunkImageName(name, type)).toBe(expected);
  });
});
