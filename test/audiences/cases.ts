/**
 * One audience per operator and node type, with the profile ids it must hold on the fixture
 * (fixture.ts, now = 2025-06-01). The golden SQL test compiles the same audiences.
 */

/** Audience name → its YAML (as an object) and the exact expected members. */
export const cases: Record<string, { audience: Record<string, unknown>; expected: string[] }> = {
  // Traits: comparisons (a NULL trait matches none of them).
  t_eq: { audience: { where: { trait: 'plan', op: 'eq', value: 'pro' } }, expected: ['p1', 'p3', 'p6'] },
  t_neq: { audience: { where: { trait: 'plan', op: 'neq', value: 'pro' } }, expected: ['p2', 'p5'] },
  t_gt: { audience: { where: { trait: 'ltv', op: 'gt', value: 500 } }, expected: ['p1', 'p6'] },
  t_gte: { audience: { where: { trait: 'ltv', op: 'gte', value: 500 } }, expected: ['p1', 'p3', 'p6'] },
  t_lt: { audience: { where: { trait: 'ltv', op: 'lt', value: 500 } }, expected: ['p2', 'p5'] },
  t_lte: { audience: { where: { trait: 'ltv', op: 'lte', value: 120 } }, expected: ['p2', 'p5'] },
  t_bool: { audience: { where: { trait: 'vip', op: 'eq', value: true } }, expected: ['p1', 'p6'] },
  t_in: { audience: { where: { trait: 'plan', op: 'in', value: ['free', 'team'] } }, expected: ['p2', 'p5'] },
  t_not_in: {
    audience: { where: { trait: 'plan', op: 'not_in', value: ['free', 'team'] } },
    expected: ['p1', 'p3', 'p6'],
  },
  t_between: {
    audience: { where: { trait: 'ltv', op: 'between', value: [120, 800] } },
    expected: ['p1', 'p2', 'p3'],
  },
  t_contains: {
    audience: { where: { trait: 'email', op: 'contains', value: 'big' } },
    expected: ['p1', 'p3', 'p6'],
  },
  // '%' and '_' are literal: unescaped they would match every email / 'cyz@…' too.
  t_contains_wildcard: {
    audience: { where: { trait: 'email', op: 'contains', value: '%' } },
    expected: ['p5'],
  },
  t_not_contains: {
    audience: { where: { trait: 'email', op: 'not_contains', value: 'big' } },
    expected: ['p2', 'p5'],
  },
  t_starts_with: {
    audience: { where: { trait: 'email', op: 'starts_with', value: 'cy_' } },
    expected: ['p3'],
  },
  t_ends_with: { audience: { where: { trait: 'email', op: 'ends_with', value: '.io' } }, expected: ['p2'] },
  t_is_null: { audience: { where: { trait: 'ltv', op: 'is_null' } }, expected: ['p4'] },
  t_is_not_null: {
    audience: { where: { trait: 'ltv', op: 'is_not_null' } },
    expected: ['p1', 'p2', 'p3', 'p5', 'p6'],
  },
  // Relative dates against 2025-06-01: [05-25, 06-01] holds p1 (exactly 7 days) and p3; p6 is in the future.
  t_within_days: {
    audience: { where: { trait: 'last_seen_at', op: 'within_days', value: 7 } },
    expected: ['p1', 'p3'],
  },
  t_older_than_days: {
    audience: { where: { trait: 'last_seen_at', op: 'older_than_days', value: 90 } },
    expected: ['p2', 'p5'],
  },
  // A DATE trait: [06-01, 06-11].
  t_within_next_days: {
    audience: { where: { trait: 'renews_on', op: 'within_next_days', value: 10 } },
    expected: ['p1', 'p5'],
  },

  // Events: p1 orders e1 (05-20) e2 (04-01), views e3; p2 order e4 (2024); p3 views ×3; p6 order after now.
  e_did: {
    audience: { where: { event: 'app.events', where: [{ column: 'name', op: 'eq', value: 'order' }] } },
    expected: ['p1', 'p2', 'p6'],
  },
  e_did_not: {
    audience: {
      where: { event: 'app.events', count: { eq: 0 }, where: [{ column: 'name', op: 'eq', value: 'order' }] },
    },
    expected: ['p3', 'p4', 'p5'],
  },
  e_not_did: {
    audience: {
      where: { not: { event: 'app.events', where: [{ column: 'name', op: 'eq', value: 'order' }] } },
    },
    expected: ['p3', 'p4', 'p5'],
  },
  e_within_days: {
    audience: {
      where: {
        event: 'app.events',
        timestamp: 'occurred_at',
        within_days: 30,
        where: [{ column: 'name', op: 'eq', value: 'order' }],
      },
    },
    expected: ['p1'],
  },
  e_at_least: {
    audience: {
      where: { event: 'app.events', count: { gte: 2 }, where: [{ column: 'name', op: 'eq', value: 'view' }] },
    },
    expected: ['p3'],
  },
  e_more_than: {
    audience: {
      where: { event: 'app.events', count: { gt: 1 }, where: [{ column: 'name', op: 'eq', value: 'order' }] },
    },
    expected: ['p1'],
  },
  e_at_most: {
    audience: {
      where: { event: 'app.events', count: { lte: 1 }, where: [{ column: 'name', op: 'eq', value: 'view' }] },
    },
    expected: ['p1', 'p2', 'p4', 'p5', 'p6'],
  },
  e_fewer_than_in_window: {
    audience: {
      where: {
        event: 'app.events',
        timestamp: 'occurred_at',
        within_days: 30,
        count: { lt: 2 },
        where: [{ column: 'name', op: 'eq', value: 'view' }],
      },
    },
    expected: ['p1', 'p2', 'p4', 'p5', 'p6'],
  },
  e_range_in_window: {
    audience: {
      where: {
        event: 'app.events',
        timestamp: 'occurred_at',
        within_days: 30,
        count: { gte: 1, lte: 2 },
        where: [{ column: 'name', op: 'eq', value: 'view' }],
      },
    },
    expected: ['p1', 'p3'],
  },
  e_neq: {
    audience: {
      where: { event: 'app.events', count: { neq: 1 }, where: [{ column: 'name', op: 'eq', value: 'view' }] },
    },
    expected: ['p2', 'p3', 'p4', 'p5', 'p6'],
  },
  e_property_filter: {
    audience: {
      where: {
        event: 'app.events',
        where: [
          { column: 'name', op: 'in', value: ['order'] },
          { column: 'amount', op: 'gte', value: 100 },
        ],
      },
    },
    expected: ['p1', 'p6'],
  },
  // e9 (999.0, unresolved) is the only such event: it belongs to nobody.
  e_unresolved_never_counts: {
    audience: { where: { event: 'app.events', where: [{ column: 'amount', op: 'gt', value: 900 }] } },
    expected: [],
  },
  e_any_event: { audience: { where: { event: 'app.events' } }, expected: ['p1', 'p2', 'p3', 'p6'] },

  // Nesting.
  n_all_any: {
    audience: {
      where: {
        all: [
          { trait: 'plan', op: 'eq', value: 'pro' },
          {
            any: [
              { trait: 'ltv', op: 'gte', value: 900 },
              {
                event: 'app.events',
                count: { gte: 2 },
                where: [{ column: 'name', op: 'eq', value: 'view' }],
              },
            ],
          },
        ],
      },
    },
    expected: ['p3', 'p6'],
  },
  // `not` is the complement: p4 (NULL ltv) is in it.
  n_not_trait: {
    audience: { where: { not: { trait: 'ltv', op: 'gte', value: 500 } } },
    expected: ['p2', 'p4', 'p5'],
  },
  n_single_child: {
    audience: { where: { any: [{ trait: 'vip', op: 'eq', value: true }] } },
    expected: ['p1', 'p6'],
  },

  // Membership (pros: t_eq's members).
  pros: { audience: { where: { trait: 'plan', op: 'eq', value: 'pro' } }, expected: ['p1', 'p3', 'p6'] },
  m_member: {
    audience: {
      where: {
        all: [
          { audience: 'pros' },
          { event: 'app.events', where: [{ column: 'name', op: 'eq', value: 'order' }] },
        ],
      },
    },
    expected: ['p1', 'p6'],
  },
  m_not_member: { audience: { where: { not: { audience: 'pros' } } }, expected: ['p2', 'p4', 'p5'] },

  // Exclusions.
  x_exclude_event: {
    audience: {
      where: { audience: 'pros' },
      exclude: {
        event: 'app.events',
        timestamp: 'occurred_at',
        within_days: 30,
        where: [{ column: 'name', op: 'eq', value: 'order' }],
      },
    },
    expected: ['p3', 'p6'],
  },
  // A NULL plan is not 'free', so exclude keeps p4… which the where already dropped; p2 goes.
  x_exclude_trait: {
    audience: {
      where: { trait: 'ltv', op: 'is_not_null' },
      exclude: { trait: 'plan', op: 'eq', value: 'free' },
    },
    expected: ['p1', 'p3', 'p5', 'p6'],
  },

  // Raw SQL: vars and sources render; ids not in profiles are dropped; exclude still applies.
  r_sql_var: {
    audience: {
      sql: "select profile_id from weft.profiles where ltv > {{var 'min_ltv'}} union all select 'ghost' -- trailing comment",
    },
    expected: ['p1', 'p6'],
  },
  r_sql_source: {
    audience: {
      sql: "select 'p' || person as profile_id from {{source 'app' 'events'}} where name = 'view';",
      exclude: { trait: 'vip', op: 'eq', value: true },
    },
    expected: ['p3'],
  },
};
