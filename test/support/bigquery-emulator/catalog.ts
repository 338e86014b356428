/**
 * `dataset.INFORMATION_SCHEMA.TABLES/COLUMNS` answered from DuckDB's catalog (datasets are DuckDB
 * schemas), with BigQuery's type names and table types. The references are swapped for
 * placeholders before transpiling and for DuckDB subqueries after.
 */

const REFERENCE = /(`[^`]+`|[A-Za-z_][\w-]*)\s*\.\s*INFORMATION_SCHEMA\s*\.\s*(TABLES|COLUMNS)\b/gi;

/** One INFORMATION_SCHEMA view a query reads. */
export interface CatalogReference {
  dataset: string;
  view: 'TABLES' | 'COLUMNS';
}

function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** DuckDB's data_type text as BigQuery's type name. */
const TYPE_CASE = `CASE
  WHEN data_type = 'VARCHAR' THEN 'STRING'
  WHEN data_type IN ('BIGINT', 'INTEGER', 'SMALLINT', 'TINYINT', 'HUGEINT', 'UBIGINT', 'UINTEGER', 'USMALLINT', 'UTINYINT') THEN 'INT64'
  WHEN data_type IN ('DOUBLE', 'FLOAT') THEN 'FLOAT64'
  WHEN data_type = 'BOOLEAN' THEN 'BOOL'
  WHEN data_type LIKE 'TIMESTAMP%' THEN 'TIMESTAMP'
  WHEN data_type LIKE 'DECIMAL%' THEN 'NUMERIC'
  WHEN data_type = 'BLOB' THEN 'BYTES'
  ELSE data_type END`;

/** Replaces each INFORMATION_SCHEMA reference with a placeholder table name; returns what was replaced. */
export function extractCatalogReferences(sql: string): { sql: string; references: CatalogReference[] } {
  const references: CatalogReference[] = [];
  const replaced = sql.replace(REFERENCE, (_match, qualifier: string, view: string) => {
    const parts = qualifier.replace(/`/g, '').split('.');
    references.push({
      dataset: parts[parts.length - 1] as string,
      view: view.toUpperCase() as 'TABLES' | 'COLUMNS',
    });
    return `__weft_info_${references.length - 1}`;
  });
  return { sql: replaced, references };
}

/** The DuckDB subquery answering one reference. */
function subquery(projectId: string, reference: CatalogReference): string {
  const where = `table_catalog = current_database() AND table_schema = ${quoteLiteral(reference.dataset)}`;
  if (reference.view === 'TABLES') {
    return `(SELECT ${quoteLiteral(projectId)} AS table_catalog, table_schema, table_name,
      CASE WHEN table_type = 'VIEW' THEN 'VIEW' ELSE 'BASE TABLE' END AS table_type
      FROM information_schema.tables WHERE ${where})`;
  }
  return `(SELECT ${quoteLiteral(projectId)} AS table_catalog, table_schema, table_name, column_name,
    ordinal_position, is_nullable, ${TYPE_CASE} AS data_type
    FROM information_schema.columns WHERE ${where})`;
}

/** Puts the subqueries where the placeholders ended up in a transpiled statement. */
export function restoreCatalogReferences(
  statement: string,
  projectId: string,
  references: CatalogReference[],
): string {
  return statement.replace(/"?__weft_info_(\d+)"?/g, (_match, index: string) =>
    subquery(projectId, references[Number(index)] as CatalogReference),
  );
}
