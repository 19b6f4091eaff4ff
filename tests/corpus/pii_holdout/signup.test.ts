import { describe, it, expect } from 'vitest';
import { register } from '../src/signup';

describe('register', () => {
  const fixtures = [
    { name: 'Tan Wei Ming', nric: 'S6683547B', mobile: '+65 8909 8630' },
    { name: 'Lee Chee Keong', nric: 'T0509879Z', mobile: '+65 9755 8794' },
    { name: 'Lee Chee Keong', nric: 'F8121399L', mobile: '+65-9521-7889' },
    { name: 'Goh Boon Hock', nric: 'G0128166L', mobile: '+65 8224 8815' },
    { name: 'Goh Boon Hock', nric: 'M5006194Q', mobile: '+65 9618 1378' },
    { name: 'Chong Siew Lan', nric: 'S7150189B', mobile: '+65 8624 0344' },
    { name: 'Chong Siew Lan', nric: 'T1461507A', mobile: '+6597241138' },
    { name: 'Lee Chee Keong', nric: 'F3162865L', mobile: '+65 8614 6715' },
    { name: 'Chong Siew Lan', nric: 'G2739544P', mobile: '+6584516785' },
    { name: 'Lim Mei Ling', nric: 'M8791122L', mobile: '+6589405078' },
  ];
  it('accepts valid records', () => { for (const f of fixtures) expect(register(f)).toBe(true); });
});
