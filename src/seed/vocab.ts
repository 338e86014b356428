/** Small embedded vocabularies for the demo data (no external packages). */

// biome-ignore format: a compact word list
export const FIRST_NAMES = [
  'James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'William', 'Elizabeth',
  'David', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen',
  'Christopher', 'Nancy', 'Daniel', 'Lisa', 'Matthew', 'Betty', 'Anthony', 'Margaret', 'Mark', 'Sandra',
  'Donald', 'Ashley', 'Steven', 'Kimberly', 'Paul', 'Emily', 'Andrew', 'Donna', 'Joshua', 'Michelle',
  'Kenneth', 'Dorothy', 'Kevin', 'Carol', 'Brian', 'Amanda', 'George', 'Melissa', 'Timothy', 'Deborah',
  'Ronald', 'Stephanie', 'Edward', 'Rebecca', 'Jason', 'Sharon', 'Jeffrey', 'Laura', 'Ryan', 'Cynthia',
  'Jacob', 'Kathleen', 'Gary', 'Amy', 'Nicholas', 'Angela', 'Eric', 'Shirley', 'Jonathan', 'Anna',
  'Stephen', 'Brenda', 'Larry', 'Pamela', 'Justin', 'Emma', 'Scott', 'Nicole', 'Brandon', 'Helen',
  'Benjamin', 'Samantha', 'Samuel', 'Katherine', 'Gregory', 'Christine', 'Alexander', 'Debra', 'Frank',
  'Rachel', 'Patrick', 'Carolyn', 'Raymond', 'Janet', 'Jack', 'Catherine', 'Dennis', 'Maria', 'Jerry',
  'Heather', 'Tyler', 'Diane', 'Aaron', 'Ruth', 'Jose', 'Julie', 'Adam', 'Olivia', 'Nathan', 'Joyce',
  'Henry', 'Virginia', 'Douglas', 'Victoria', 'Zachary', 'Kelly', 'Peter', 'Lauren', 'Kyle', 'Christina',
  'Noah', 'Joan', 'Ethan', 'Evelyn', 'Jeremy', 'Judith', 'Walter', 'Megan', 'Christian', 'Andrea', 'Keith',
  'Cheryl', 'Roger', 'Hannah', 'Terry', 'Jacqueline', 'Austin', 'Martha', 'Sean', 'Gloria', 'Priya', 'Wei',
  'Aisha', 'Mateo', 'Sofia', 'Hiroshi', 'Fatima', 'Lucas', 'Ingrid', 'Omar',
] as const;

// biome-ignore format: a compact word list
export const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores', 'Green',
  'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts', 'Gomez',
  'Phillips', 'Evans', 'Turner', 'Diaz', 'Parker', 'Cruz', 'Edwards', 'Collins', 'Reyes', 'Stewart',
  'Morris', 'Morales', 'Murphy', 'Cook', 'Rogers', 'Gutierrez', 'Ortiz', 'Morgan', 'Cooper', 'Peterson',
  'Bailey', 'Reed', 'Kelly', 'Howard', 'Ramos', 'Kim', 'Cox', 'Ward', 'Richardson', 'Watson', 'Brooks',
  'Chavez', 'Wood', 'James', 'Bennett', 'Gray', 'Mendoza', 'Ruiz', 'Hughes', 'Price', 'Alvarez',
  'Castillo', 'Sanders', 'Patel', 'Myers', 'Long', 'Ross', 'Foster', 'Jimenez', "O'Brien", 'Müller',
  'Schmidt', 'Rossi', 'Tanaka', 'Chen', 'Wang', 'Singh', 'Kowalski', 'Novak', 'Dubois', 'Silva',
] as const;

/** Personal email providers, gmail first and most common. */
// biome-ignore format: a compact word list
export const PERSONAL_DOMAINS = [
  'gmail.com', 'gmail.com', 'gmail.com', 'gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com',
  'icloud.com', 'aol.com', 'protonmail.com', 'comcast.net',
] as const;

/** Company names are PREFIX + SUFFIX; the domain is both words lowercased + `.com`. */
// biome-ignore format: a compact word list
export const COMPANY_PREFIXES = [
  'Acme', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Hooli', 'Vandelay', 'Soylent', 'Tyrell',
  'Cyberdyne', 'Wonka', 'Gringotts', 'Oscorp', 'Massive', 'Blue Sun', 'Prestige', 'Sirius', 'Monarch',
  'Nakatomi', 'Gekko', 'Dunder', 'Bluth', 'Pied Piper', 'Aperture', 'Black Mesa', 'Virtucon', 'Zorg',
  'Wernham', 'Kramerica',
] as const;

// biome-ignore format: a compact word list
export const COMPANY_SUFFIXES = [
  'Analytics', 'Labs', 'Systems', 'Logistics', 'Foods', 'Health', 'Media', 'Capital', 'Robotics',
  'Studios', 'Energy', 'Retail', 'Software', 'Partners', 'Travel', 'Apparel', 'Insurance', 'Bank',
  'Motors', 'Security',
] as const;

/** Legal-form noise appended to CRM company names. */
export const COMPANY_FORMS = ['', '', '', ' Inc', ' Inc.', ' LLC', ', Inc.', ' Ltd'] as const;

/** Shared role mailboxes at a company (many people behind one address). */
export const ROLE_MAILBOXES = ['info', 'sales', 'hello', 'admin', 'contact'] as const;

// biome-ignore format: a compact word list
export const AREA_CODES = [
  '212', '213', '305', '312', '404', '415', '503', '512', '602', '617', '646', '702', '713', '718', '720',
  '773', '786', '818', '858', '917', '206', '303', '310', '469', '510', '619', '650', '408',
] as const;

export const JUNK_EMAILS = [
  'test@test.com',
  'null',
  '',
  'none',
  'N/A',
  'noemail@example.com',
  'a@a.com',
] as const;
export const JUNK_PHONES = ['0000000000', 'null', '', '1234567890', '555-5555', '000-000-0000'] as const;

// biome-ignore format: a compact word list
export const WEB_PATHS = [
  '/', '/products', '/products/shoes', '/products/jackets', '/products/bags', '/blog/how-to-choose',
  '/blog/spring-collection', '/about', '/cart', '/checkout', '/help',
] as const;
export const UTM_SUFFIXES = [
  '',
  '',
  '',
  '?utm_source=google&utm_medium=cpc',
  '?utm_source=newsletter',
  '?ref=ig',
] as const;

// biome-ignore format: a compact word list
export const TICKET_SUBJECTS = [
  'Where is my order?', 'Refund request', 'Cannot log in', 'Change shipping address', 'Damaged item',
  'Billing question', 'Cancel subscription', 'Size exchange', 'Promo code not working', 'Account deletion',
] as const;

export const NEWSLETTER_SOURCES = ['footer', 'checkout', 'blog', 'popup', 'webinar'] as const;

/** The shop's key-account desk: who looks after customers who spent the most. */
export const ACCOUNT_MANAGERS = [
  'Grace Hopper',
  'Alan Turing',
  'Ada Lovelace',
  'Katherine Johnson',
  'Edsger Dijkstra',
  'Barbara Liskov',
] as const;

/** Smart-meter models the shop sells and installs (devices.model). */
export const METER_MODELS = ['SM-100', 'SM-100', 'SM-200', 'SM-200 Pro'] as const;
