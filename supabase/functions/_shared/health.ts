// What the health endpoint reports: the database answers, the schema is migrated and the
// config singleton exists, pg_cron's scheduler runs, and every scheduled job really runs (its
// last run did not fail and it has not missed two of its intervals, walltrack.cron_job_health), and
// every edge function the database calls answered its last call (walltrack.edge_function_call_health:
// a job whose SQL succeeds while each of its calls gets a 401 is not healthy). One round trip.
import type { Sql } from "postgres";

export type JobProblem = { job: string; problem: string };
export type CallProblem = { function: string; problem: string };

export type Health = {
  status: "ok" | "degraded";
  database: "ok" | "unreachable";
  migration: string | null;
  config: boolean;
  cron_scheduler: boolean;
  jobs: JobProblem[];
  calls: CallProblem[];
  error?: string;
};

export async function checkHealth(sql: Sql): Promise<Health> {
  try {
    const [row] = await sql<
      { migration: string | null; config: boolean; cron_scheduler: boolean; jobs: JobProblem[]; calls: CallProblem[] }[]
    >`
      select
        (select max(version) from supabase_migrations.schema_migrations) as migration,
        exists (select 1 from walltrack.config) as config,
        exists (select 1 from pg_catalog.pg_stat_activity
                 where backend_type = 'pg_cron launcher' or application_name = 'pg_cron scheduler') as cron_scheduler,
        coalesce((select jsonb_agg(jsonb_build_object('job', jobname, 'problem', problem) order by jobname)
                    from walltrack.cron_job_health where problem is not null), '[]'::jsonb) as jobs,
        coalesce((select jsonb_agg(jsonb_build_object('function', function_name, 'problem', problem) order by function_name)
                    from walltrack.edge_function_call_health where problem is not null), '[]'::jsonb) as calls`;
    const healthy = row.config && row.cron_scheduler && row.jobs.length === 0 && row.calls.length === 0;
    return { status: healthy ? "ok" : "degraded", database: "ok", ...row };
  } catch (error) {
    return {
      status: "degraded",
      database: "unreachable",
      migration: null,
      config: false,
      cron_scheduler: false,
      jobs: [],
      calls: [],
      error: error instanceof Error ? error.message : String(error),
    };
  }
}
