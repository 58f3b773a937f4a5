// Where the stack under test is: set by `npm test` (scripts/test.ts), which builds it for the run.
import postgres from "postgres";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run integration tests through \`npm test\`, which starts their stack`);
  return value;
}

export const stack = {
  dbUrl: required("WALLTRACK_TEST_DB_URL"),
  functionsUrl: required("WALLTRACK_TEST_FUNCTIONS_URL"),
  anonKey: required("WALLTRACK_TEST_ANON_KEY"),
  serviceRoleKey: required("WALLTRACK_TEST_SERVICE_ROLE_KEY"),
};

export const connect = () => postgres(stack.dbUrl, { max: 4, onnotice: () => {} });
