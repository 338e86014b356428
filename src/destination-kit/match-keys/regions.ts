/**
 * Name → code tables for states and countries (lowercase, letters only as keys). Small on
 * purpose: US states, DC and Canadian provinces; countries by English name and common aliases
 * for the markets the demo and typical CRMs hold. Codes already given as two letters pass through.
 */

// biome-ignore format: a compact table
export const STATE_CODES: Record<string, string> = {
  alabama: 'al', alaska: 'ak', arizona: 'az', arkansas: 'ar', california: 'ca', colorado: 'co',
  connecticut: 'ct', delaware: 'de', districtofcolumbia: 'dc', florida: 'fl', georgia: 'ga',
  hawaii: 'hi', idaho: 'id', illinois: 'il', indiana: 'in', iowa: 'ia', kansas: 'ks',
  kentucky: 'ky', louisiana: 'la', maine: 'me', maryland: 'md', massachusetts: 'ma',
  michigan: 'mi', minnesota: 'mn', mississippi: 'ms', missouri: 'mo', montana: 'mt',
  nebraska: 'ne', nevada: 'nv', newhampshire: 'nh', newjersey: 'nj', newmexico: 'nm',
  newyork: 'ny', northcarolina: 'nc', northdakota: 'nd', ohio: 'oh', oklahoma: 'ok', oregon: 'or',
  pennsylvania: 'pa', rhodeisland: 'ri', southcarolina: 'sc', southdakota: 'sd', tennessee: 'tn',
  texas: 'tx', utah: 'ut', vermont: 'vt', virginia: 'va', washington: 'wa', westvirginia: 'wv',
  wisconsin: 'wi', wyoming: 'wy', puertorico: 'pr',
  alberta: 'ab', britishcolumbia: 'bc', manitoba: 'mb', newbrunswick: 'nb',
  newfoundlandandlabrador: 'nl', novascotia: 'ns', ontario: 'on', princeedwardisland: 'pe',
  quebec: 'qc', saskatchewan: 'sk', northwestterritories: 'nt', nunavut: 'nu', yukon: 'yt',
};

// biome-ignore format: a compact table
export const COUNTRY_CODES: Record<string, string> = {
  unitedstates: 'us', unitedstatesofamerica: 'us', usa: 'us', america: 'us',
  unitedkingdom: 'gb', uk: 'gb', greatbritain: 'gb', britain: 'gb', england: 'gb', scotland: 'gb',
  wales: 'gb', northernireland: 'gb', gbr: 'gb', canada: 'ca', can: 'ca', mexico: 'mx',
  ireland: 'ie', france: 'fr', germany: 'de', deutschland: 'de', deu: 'de', spain: 'es',
  espana: 'es', italy: 'it', portugal: 'pt', netherlands: 'nl', holland: 'nl', belgium: 'be',
  switzerland: 'ch', austria: 'at', sweden: 'se', norway: 'no', denmark: 'dk', finland: 'fi',
  poland: 'pl', czechia: 'cz', czechrepublic: 'cz', greece: 'gr', turkey: 'tr', turkiye: 'tr',
  australia: 'au', aus: 'au', newzealand: 'nz', japan: 'jp', china: 'cn', india: 'in',
  southkorea: 'kr', korea: 'kr', singapore: 'sg', brazil: 'br', brasil: 'br', argentina: 'ar',
  chile: 'cl', colombia: 'co', southafrica: 'za', israel: 'il', unitedarabemirates: 'ae',
  uae: 'ae', philippines: 'ph', indonesia: 'id', vietnam: 'vn', thailand: 'th', malaysia: 'my',
  nigeria: 'ng', egypt: 'eg', ukraine: 'ua',
};
