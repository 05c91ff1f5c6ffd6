/** `SERVICE@VERSION` flags (`--requires`, `--chart`), checked at the edge. */
import { DeploySmithError } from '@deploysmith/core';
import { checkProductName } from '../repo/smud-repo.ts';
import type { Dependency } from '../smud/values-file.ts';

const VERSION = /^[0-9A-Za-z][0-9A-Za-z.+_~-]{0,99}$/;

export function checkVersion(version: string, what: string): void {
  if (!VERSION.test(version)) {
    throw new DeploySmithError('invalid_input', `"${version}" is not a valid ${what}`, {
      hint: 'Versions are like 4.13.0 or 1.2.0-rc.1.',
    });
  }
}

/** `patientlistservice@4.13.0` or `favn-host` (a dependency without a minimum version). */
export function parseRequirement(text: string): Dependency {
  const [name = '', minVersion, ...rest] = text.split('@');
  if (rest.length > 0)
    throw new DeploySmithError('invalid_input', `--requires "${text}" has more than one "@"`);
  checkProductName(name, 'dependency');
  if (minVersion === undefined) return { name };
  checkVersion(minVersion, 'minVersion');
  return { name, minVersion };
}

/** `patientlistservice@4.13.0`: a product and the chart version to set. */
export function parseChartPin(text: string): { product: string; version: string } {
  const at = text.lastIndexOf('@');
  if (at <= 0) {
    throw new DeploySmithError('invalid_input', `--chart "${text}" must be PRODUCT@CHARTVERSION`, {
      hint: 'For example --chart patientlistservice@4.13.0',
    });
  }
  const product = text.slice(0, at);
  const version = text.slice(at + 1);
  checkProductName(product);
  checkVersion(version, 'chart version');
  return { product, version };
}
