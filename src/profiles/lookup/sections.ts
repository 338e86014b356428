/**
 * A profile page is a list of sections (identifiers, traits, audiences; later destinations).
 * Each section loads its part of one profile and renders it for `--json` and for people.
 */
import type { Project } from '../../config/types.js';
import type { Warehouse } from '../../warehouse/types.js';
import { audiencesSection } from './audiences-section.js';
import { identifiersSection } from './identifiers-section.js';
import type { LookupTables } from './tables.js';
import { traitsSection } from './traits-section.js';

/** What a section gets to load from. */
export interface SectionContext {
  project: Project;
  warehouse: Warehouse;
  tables: LookupTables;
  profileId: string;
}

/** One loaded section. */
export interface SectionOutput {
  /** The value under the section's key in `--json` output. */
  json: unknown;
  /** Human lines, printed under the section's title. */
  lines: string[];
}

/** One part of the profile page. */
export interface ProfileSection {
  /** Key in the `--json` object. */
  key: string;
  /** Heading in human output. */
  title: string;
  load(ctx: SectionContext): Promise<SectionOutput>;
}

/** The sections `weft profile` shows, in order. */
export const profileSections: ProfileSection[] = [identifiersSection, traitsSection, audiencesSection];
