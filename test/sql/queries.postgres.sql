-- workspaces.insert
insert into "workspaces" ("project_id", "id", "name", "description", "owner_id", "owner_name", "enterprise_project_id", "auth_type", "status", "status_info", "create_time", "update_time") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12);
-- parameters: ["p1","w1","alpha","","u1","root","0","public","NORMAL","",1,1]

-- workspaces.findByIds
select "w"."project_id", "w"."id", "w"."name", "w"."description", "w"."owner_id", "w"."owner_name", "w"."enterprise_project_id", "w"."auth_type", "w"."status", "w"."status_info", "w"."create_time", "w"."update_time", coalesce("ep"."name", 'default') as "enterprise_project_name" from "workspaces" as "w" left join "enterprise_projects" as "ep" on "ep"."id" = "w"."enterprise_project_id" where "w"."project_id" = $1 and "w"."id" = any($2::text[]);
-- parameters: ["p1",["w1","w2"]]

-- workspaces.findByIds one
select "w"."project_id", "w"."id", "w"."name", "w"."description", "w"."owner_id", "w"."owner_name", "w"."enterprise_project_id", "w"."auth_type", "w"."status", "w"."status_info", "w"."create_time", "w"."update_time", coalesce("ep"."name", 'default') as "enterprise_project_name" from "workspaces" as "w" left join "enterprise_projects" as "ep" on "ep"."id" = "w"."enterprise_project_id" where "w"."project_id" = $1 and "w"."id" = $2;
-- parameters: ["p1","w1"]

-- workspaces.findShownByIds
select "w"."id", "w"."owner_id", "w"."auth_type", json_build_object('id', "w"."id", 'name', "w"."name", 'description', "w"."description", 'owner', "w"."owner_name", 'create_time', "w"."create_time", 'update_time', "w"."update_time", 'enterprise_project_id', "w"."enterprise_project_id", 'enterprise_project_name', coalesce("ep"."name", 'default'), 'auth_type', "w"."auth_type", 'status', "w"."status", 'status_info', "w"."status_info")::text as "summary", case when "w"."auth_type" = 'internal' then ((select coalesce(json_agg(json_build_object('position', "g"."position", 'user_id', "g"."user_id", 'user_name', "g"."user_name", 'user_type', "g"."user_type") order by "g"."position")::text, '[]') as "list" from "workspace_grants" as "g" where "g"."project_id" = "w"."project_id" and "g"."workspace_id" = "w"."id")) end as "grants" from "workspaces" as "w" left join "enterprise_projects" as "ep" on "ep"."id" = "w"."enterprise_project_id" where "w"."project_id" = $1 and "w"."id" = any($2::text[]);
-- parameters: ["p1",["w1","w2"]]

-- workspaces.findShownByIds one
select "w"."id", "w"."owner_id", "w"."auth_type", json_build_object('id', "w"."id", 'name', "w"."name", 'description', "w"."description", 'owner', "w"."owner_name", 'create_time', "w"."create_time", 'update_time', "w"."update_time", 'enterprise_project_id', "w"."enterprise_project_id", 'enterprise_project_name', coalesce("ep"."name", 'default'), 'auth_type', "w"."auth_type", 'status', "w"."status", 'status_info', "w"."status_info")::text as "summary", case when "w"."auth_type" = 'internal' then ((select coalesce(json_agg(json_build_object('position', "g"."position", 'user_id', "g"."user_id", 'user_name', "g"."user_name", 'user_type', "g"."user_type") order by "g"."position")::text, '[]') as "list" from "workspace_grants" as "g" where "g"."project_id" = "w"."project_id" and "g"."workspace_id" = "w"."id")) end as "grants" from "workspaces" as "w" left join "enterprise_projects" as "ep" on "ep"."id" = "w"."enterprise_project_id" where "w"."project_id" = $1 and "w"."id" = $2;
-- parameters: ["p1","w1"]

-- workspaces.nameTaken
select "id" from "workspaces" where "project_id" = $1 and "name" = $2;
-- parameters: ["p1","alpha"]

-- workspaces.list unfiltered
select string_agg(json_build_object('id', "w"."id", 'name', "w"."name", 'description', "w"."description", 'owner', "w"."owner_name", 'create_time', "w"."create_time", 'update_time', "w"."update_time", 'enterprise_project_id', "w"."enterprise_project_id", 'enterprise_project_name', "w"."enterprise_project_name", 'auth_type', "w"."auth_type", 'status', "w"."status", 'status_info', "w"."status_info")::text, ',' order by "w"."update_time" desc, "w"."name" desc) as "items", count(*)::int as "count" from (select "w"."id", "w"."name", "w"."description", "w"."owner_name", "w"."create_time", "w"."update_time", "w"."enterprise_project_id", "w"."auth_type", "w"."status", "w"."status_info", coalesce("ep"."name", 'default') as "enterprise_project_name" from "workspaces" as "w" left join "enterprise_projects" as "ep" on "ep"."id" = "w"."enterprise_project_id" where w.project_id = $1 order by "w"."update_time" desc, "w"."name" desc limit $2 offset $3) as "w";
-- parameters: ["p1",10,20]

-- workspaces.list by name, many matches
select string_agg(json_build_object('id', "w"."id", 'name', "w"."name", 'description', "w"."description", 'owner', "w"."owner_name", 'create_time', "w"."create_time", 'update_time', "w"."update_time", 'enterprise_project_id', "w"."enterprise_project_id", 'enterprise_project_name', "w"."enterprise_project_name", 'auth_type', "w"."auth_type", 'status', "w"."status", 'status_info', "w"."status_info")::text, ',' order by "w"."name" desc) as "items", count(*)::int as "count" from (select "w"."id", "w"."name", "w"."description", "w"."owner_name", "w"."create_time", "w"."update_time", "w"."enterprise_project_id", "w"."auth_type", "w"."status", "w"."status_info", coalesce("ep"."name", 'default') as "enterprise_project_name" from "workspaces" as "w" left join "enterprise_projects" as "ep" on "ep"."id" = "w"."enterprise_project_id" where (w.project_id = $1 and w.name ilike $2 escape '\') order by "w"."name" desc limit $3 offset $4) as "w";
-- parameters: ["p1","%alp%",10,20]

-- workspaces.list by name, few matches
select string_agg(json_build_object('id', "w"."id", 'name', "w"."name", 'description', "w"."description", 'owner', "w"."owner_name", 'create_time', "w"."create_time", 'update_time', "w"."update_time", 'enterprise_project_id', "w"."enterprise_project_id", 'enterprise_project_name', "w"."enterprise_project_name", 'auth_type', "w"."auth_type", 'status', "w"."status", 'status_info', "w"."status_info")::text, ',' order by "w"."name" desc) as "items", count(*)::int as "count" from (with "matches_first" as materialized (select "w"."id", "w"."name", "w"."update_time", "w"."status" from "workspaces" as "w" where (w.project_id = $1 and w.name ilike $2 escape '\')) select "w"."id", "w"."name", "w"."description", "w"."owner_name", "w"."create_time", "w"."update_time", "w"."enterprise_project_id", "w"."auth_type", "w"."status", "w"."status_info", coalesce("ep"."name", 'default') as "enterprise_project_name" from "workspaces" as "w" left join "enterprise_projects" as "ep" on "ep"."id" = "w"."enterprise_project_id" where "w"."project_id" = $3 and "w"."id" in (select id from matches_first order by "matches_first"."name" desc limit $4 offset $5) order by "w"."name" desc) as "w";
-- parameters: ["p1","%alp%","p1",10,20]

-- workspaces.list by name, enterprise project and access, few matches
select string_agg(json_build_object('id', "w"."id", 'name', "w"."name", 'description', "w"."description", 'owner', "w"."owner_name", 'create_time', "w"."create_time", 'update_time', "w"."update_time", 'enterprise_project_id', "w"."enterprise_project_id", 'enterprise_project_name', "w"."enterprise_project_name", 'auth_type', "w"."auth_type", 'status', "w"."status", 'status_info', "w"."status_info")::text, ',' order by "w"."update_time" desc, "w"."name" desc) as "items", count(*)::int as "count" from (with "matches_first" as materialized (select "w"."id", "w"."name", "w"."update_time", "w"."status" from "workspaces" as "w" where (w.project_id = $1 and w.name ilike $2 escape '\' and "w"."enterprise_project_id" = $3 and ("w"."auth_type" = $4 or "w"."owner_id" = $5 or ("w"."auth_type" = $6 and exists (select 1 as "one" from "workspace_grants" as "g" where "g"."project_id" = "w"."project_id" and "g"."workspace_id" = "w"."id" and "g"."user_id" = $7))))) select "w"."id", "w"."name", "w"."description", "w"."owner_name", "w"."create_time", "w"."update_time", "w"."enterprise_project_id", "w"."auth_type", "w"."status", "w"."status_info", coalesce("ep"."name", 'default') as "enterprise_project_name" from "workspaces" as "w" left join "enterprise_projects" as "ep" on "ep"."id" = "w"."enterprise_project_id" where "w"."project_id" = $8 and "w"."id" in (select id from matches_first order by "matches_first"."update_time" desc, "matches_first"."name" desc limit $9 offset $10) order by "w"."update_time" desc, "w"."name" desc) as "w";
-- parameters: ["p1","%alp%","ep1","public","u2","internal","u2","p1",10,20]

-- workspaces.list by short name
select string_agg(json_build_object('id', "w"."id", 'name', "w"."name", 'description', "w"."description", 'owner', "w"."owner_name", 'create_time', "w"."create_time", 'update_time', "w"."update_time", 'enterprise_project_id', "w"."enterprise_project_id", 'enterprise_project_name', "w"."enterprise_project_name", 'auth_type', "w"."auth_type", 'status', "w"."status", 'status_info', "w"."status_info")::text, ',' order by "w"."status" asc, "w"."name" asc) as "items", count(*)::int as "count" from (select "w"."id", "w"."name", "w"."description", "w"."owner_name", "w"."create_time", "w"."update_time", "w"."enterprise_project_id", "w"."auth_type", "w"."status", "w"."status_info", coalesce("ep"."name", 'default') as "enterprise_project_name" from "workspaces" as "w" left join "enterprise_projects" as "ep" on "ep"."id" = "w"."enterprise_project_id" where (w.project_id = $1 and w.name ilike $2 escape '\') order by "w"."status" asc, "w"."name" asc limit $3 offset $4) as "w";
-- parameters: ["p1","%al%",10,20]

-- workspaces.listPage by name
select count(*) as "n" from "workspaces" as "w" where (w.project_id = $1 and w.name ilike $2 escape '\');
-- parameters: ["p1","%alp%"]

-- workspaces.listPage by name, enterprise project and access
select count(*) as "n" from "workspaces" as "w" where (w.project_id = $1 and w.name ilike $2 escape '\' and "w"."enterprise_project_id" = $3 and ("w"."auth_type" = $4 or "w"."owner_id" = $5 or ("w"."auth_type" = $6 and exists (select 1 as "one" from "workspace_grants" as "g" where "g"."project_id" = "w"."project_id" and "g"."workspace_id" = "w"."id" and "g"."user_id" = $7))));
-- parameters: ["p1","%alp%","ep1","public","u2","internal","u2"]

-- workspaces.listPage unfiltered
select cast("projects"."workspace_count" + coalesce((select sum(c.n) from workspace_count_parts c where c.project_id = "projects"."id"), 0) as bigint) as "workspace_count" from "projects" where "id" = $1;
-- parameters: ["p1"]

-- workspaces.count
select count(*) as "n" from "workspaces" as "w" where (w.project_id = $1 and w.name ilike $2 escape '\' and "w"."enterprise_project_id" = $3 and ("w"."auth_type" = $4 or "w"."owner_id" = $5 or ("w"."auth_type" = $6 and exists (select 1 as "one" from "workspace_grants" as "g" where "g"."project_id" = "w"."project_id" and "g"."workspace_id" = "w"."id" and "g"."user_id" = $7))));
-- parameters: ["p1","%alp%","ep1","public","u2","internal","u2"]

-- workspaces.countAll
select cast("projects"."workspace_count" + coalesce((select sum(c.n) from workspace_count_parts c where c.project_id = "projects"."id"), 0) as bigint) as "workspace_count" from "projects" where "id" = $1;
-- parameters: ["p1"]

-- workspaces.transition
update "workspaces" set "status" = $1, "update_time" = $2 where "project_id" = $3 and "id" = $4 and "status" in ($5, $6);
-- parameters: ["DELETING",2,"p1","w1","NORMAL","DELETE_FAILED"]

-- workspaces.purge
delete from "workspaces" where "project_id" = $1 and "id" = $2 and "status" = $3;
-- parameters: ["p1","w1","DELETING"]

-- workspaces.listGrantsOf
select "workspace_id", "position", "user_id", "user_name", "user_type" from "workspace_grants" where "project_id" = $1 and "workspace_id" = any($2::text[]) order by "workspace_id", "position";
-- parameters: ["p1",["w1"]]

-- workspaces.replaceGrants
delete from "workspace_grants" where "project_id" = $1 and "workspace_id" = $2;
-- parameters: ["p1","w1"]

-- workspaces.replaceGrants
insert into "workspace_grants" ("position", "user_id", "user_name", "user_type", "project_id", "workspace_id") values ($1, $2, $3, $4, $5, $6);
-- parameters: [0,"u1","bob","IAM","p1","w1"]

-- workspaces.deleteGrantsOfUser
delete from "workspace_grants" where "user_id" = $1;
-- parameters: ["u1"]

-- workspaces.insertNew
with w1 as (insert into "workspaces" ("project_id", "id", "name", "description", "owner_id", "owner_name", "enterprise_project_id", "auth_type", "status", "status_info", "create_time", "update_time") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)), w2 as (insert into "workspace_grants" ("position", "user_id", "user_name", "user_type", "project_id", "workspace_id") values ($13, $14, $15, $16, $17, $18)), w3 as (insert into "traces" ("trace_id", "domain_id", "project_id", "time", "record_time", "trace_name", "trace_rating", "trace_type", "service_type", "resource_type", "resource_id", "resource_name", "code", "request", "response", "user_id", "user_name", "domain_name", "source_ip", "request_id", "api_version", "message") values ($19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $37, $38, $39, $40)), w4 as (insert into workspace_count_parts (project_id, slot, n) select id, cast($42 as integer), 1 from projects where id = $41 for key share on conflict (project_id, slot) do update set n = workspace_count_parts.n + 1) select 1;
-- parameters: ["p1","w1","alpha","","u1","root","0","public","NORMAL","",1,1,0,"u1","bob","IAM","p1","w1","t1","d1","p1",1,2,"createWorkspace","normal","ApiCall","ModelArts","workspace","w1","alpha","200","{}","{}","u1","root","root","127.0.0.1","r1","v1","","p1",32]

-- workspaces.insertNew under a limit
insert into "workspaces" ("project_id", "id", "name", "description", "owner_id", "owner_name", "enterprise_project_id", "auth_type", "status", "status_info", "create_time", "update_time") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12);
-- parameters: ["p1","w1","alpha","","u1","root","0","public","NORMAL","",1,1]

-- workspaces.insertNew under a limit
insert into "workspace_grants" ("position", "user_id", "user_name", "user_type", "project_id", "workspace_id") values ($1, $2, $3, $4, $5, $6);
-- parameters: [0,"u1","bob","IAM","p1","w1"]

-- workspaces.insertNew under a limit
insert into "traces" ("trace_id", "domain_id", "project_id", "time", "record_time", "trace_name", "trace_rating", "trace_type", "service_type", "resource_type", "resource_id", "resource_name", "code", "request", "response", "user_id", "user_name", "domain_name", "source_ip", "request_id", "api_version", "message") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22);
-- parameters: ["t1","d1","p1",1,2,"createWorkspace","normal","ApiCall","ModelArts","workspace","w1","alpha","200","{}","{}","u1","root","root","127.0.0.1","r1","v1",""]

-- workspaces.insertNew under a limit
update "projects" set "workspace_count" = "workspace_count" + $1 where "id" = $2 and cast("projects"."workspace_count" + coalesce((select sum(c.n) from workspace_count_parts c where c.project_id = "projects"."id"), 0) as bigint) < $3;
-- parameters: [1,"p1",1000]

-- workspaces.reserveSlot
update "projects" set "workspace_count" = "workspace_count" + $1 where "id" = $2 and cast("projects"."workspace_count" + coalesce((select sum(c.n) from workspace_count_parts c where c.project_id = "projects"."id"), 0) as bigint) < $3;
-- parameters: [1,"p1",1000]

-- workspaces.releaseSlot
update "projects" set "workspace_count" = "workspace_count" - $1 where "id" = $2;
-- parameters: [1,"p1"]

-- workspaces.lockProject
select "id" from "projects" where "id" = $1 for update;
-- parameters: ["p1"]

-- workspaces.removeAllOfProjects
delete from "workspaces" where "project_id" in ($1, $2);
-- parameters: ["p1","p2"]

-- workspaces.removeAllOfProjects
update "projects" set "workspace_count" = cast(0 - coalesce((select sum(c.n) from workspace_count_parts c where c.project_id = "projects"."id"), 0) as bigint) where "id" in ($1, $2);
-- parameters: ["p1","p2"]

-- identity.findProjectById
select * from "projects" where "id" = $1;
-- parameters: ["p1"]

-- identity.listProjects
select * from "projects" where "domain_id" = $1 and "name" = $2 order by "name";
-- parameters: ["d1","cn-north-4"]

-- identity.insertUser
insert into "users" ("id", "domain_id", "name", "password_hash", "description", "is_root", "enabled", "created_at") values ($1, $2, $3, $4, $5, $6, $7, $8);
-- parameters: ["u1","d1","bob",null,"",0,1,1]

-- identity.findUsers
select * from "users" where "domain_id" = $1 and ("id" in ($2) or "name" in ($3, $4));
-- parameters: ["d1","u1","bob","eve"]

-- identity.findUserByName
select * from "users" where "domain_id" = $1 and "name" = $2;
-- parameters: ["d1","bob"]

-- identity.findRootUser
select * from "users" where "is_root" = $1 order by "created_at";
-- parameters: [1]

-- identity.updateUser
update "users" set "description" = $1, "enabled" = $2 where "id" = $3;
-- parameters: ["x",0,"u1"]

-- identity.lockUser
update "users" set "id" = "id" where "id" = $1;
-- parameters: ["u1"]

-- lockout.find
select * from "login_failures" where "user_id" = $1;
-- parameters: ["u1"]

-- lockout.ensure
insert into "login_failures" ("user_id", "failures", "window_started_at") select "id", 0 as "failures", 0 as "window_started_at" from "users" where "id" = $1 on conflict ("user_id") do nothing;
-- parameters: ["u1"]

-- lockout.findForUpdate
select * from "login_failures" where "user_id" = $1 for update;
-- parameters: ["u1"]

-- lockout.update
update "login_failures" set "failures" = $1, "window_started_at" = $2, "locked_until" = $3 where "user_id" = $4;
-- parameters: [2,1,null,"u1"]

-- lockout.clearUnlessLocked
delete from "login_failures" where "user_id" = $1 and ("locked_until" is null or "locked_until" <= $2);
-- parameters: ["u1",5]

-- lockout.clear
delete from "login_failures" where "user_id" = $1;
-- parameters: ["u1"]

-- credentials.findAccessKeyWithOwner
select "users"."id" as "user_id", "users"."name" as "user_name", "users"."domain_id" as "domain_id", "domains"."name" as "domain_name", "users"."is_root" as "is_root", "users"."enabled" as "enabled", "domains"."enabled" as "domain_enabled", "access_keys"."secret_key" as "secret_key", "access_keys"."status" as "status" from "users" inner join "domains" on "domains"."id" = "users"."domain_id" inner join "access_keys" on "access_keys"."user_id" = "users"."id" where "access_keys"."access_key" = $1;
-- parameters: ["AK1"]

-- credentials.listDomainAccessKeys
select "access_keys".* from "access_keys" inner join "users" on "users"."id" = "access_keys"."user_id" where "users"."domain_id" = $1 order by "access_keys"."created_at";
-- parameters: ["d1"]

-- credentials.findTokenWithOwner
select "users"."id" as "user_id", "users"."name" as "user_name", "users"."domain_id" as "domain_id", "domains"."name" as "domain_name", "users"."is_root" as "is_root", "users"."enabled" as "enabled", "domains"."enabled" as "domain_enabled", "tokens"."project_id" as "project_id", "tokens"."expires_at" as "expires_at" from "users" inner join "domains" on "domains"."id" = "users"."domain_id" inner join "tokens" on "tokens"."user_id" = "users"."id" where "tokens"."token_hash" = $1;
-- parameters: ["hash"]

-- credentials.deleteExpiredTokens
delete from "tokens" where "expires_at" < $1;
-- parameters: [5]

-- accounts.list
select * from "domains" order by "created_at", "name";
-- parameters: []

-- accounts.list some
select * from "domains" where "id" in ($1, $2) order by "created_at", "name";
-- parameters: ["d1","d2"]

-- accounts.listProjects
select "id", "name", "domain_id", "parent_id", cast("projects"."workspace_count" + coalesce((select sum(c.n) from workspace_count_parts c where c.project_id = "projects"."id"), 0) as bigint) as "workspace_count" from "projects" where "domain_id" in ($1, $2) order by "domain_id", "name";
-- parameters: ["d1","d2"]

-- accounts.listProjects of all
select "id", "name", "domain_id", "parent_id", cast("projects"."workspace_count" + coalesce((select sum(c.n) from workspace_count_parts c where c.project_id = "projects"."id"), 0) as bigint) as "workspace_count" from "projects" order by "domain_id", "name";
-- parameters: []

-- accounts.countUsers
select "domain_id", count(*) as "n" from "users" where "domain_id" in ($1, $2) group by "domain_id";
-- parameters: ["d1","d2"]

-- accounts.countUsers of all
select "domain_id", count(*) as "n" from "users" group by "domain_id";
-- parameters: []

-- accounts.setEnabled
update "domains" set "enabled" = $1 where "id" = $2;
-- parameters: [0,"d1"]

-- accounts.lockForDeletion
select "id" from "domains" where "id" = $1 for update;
-- parameters: ["d1"]

-- accounts.lockForDeletion
select "id" from "projects" where "domain_id" = $1 for update;
-- parameters: ["d1"]

-- accounts.deleteAccount
delete from "tokens" where "user_id" in (select "id" from "users" where "domain_id" = $1);
-- parameters: ["d1"]

-- accounts.deleteAccount
delete from "access_keys" where "user_id" in (select "id" from "users" where "domain_id" = $1);
-- parameters: ["d1"]

-- accounts.deleteAccount
delete from "users" where "domain_id" = $1;
-- parameters: ["d1"]

-- accounts.deleteAccount
delete from "projects" where "domain_id" = $1;
-- parameters: ["d1"]

-- accounts.deleteAccount
delete from "domains" where "id" = $1;
-- parameters: ["d1"]

-- eps.deleteAllOfDomain
delete from "enterprise_projects" where "domain_id" = $1;
-- parameters: ["d1"]

-- eps.list
select * from "enterprise_projects" where ("domain_id" = $1 and lower("name") like $2 escape '\' and "status" = $3) order by "created_at" desc, "name" asc limit $4 offset $5;
-- parameters: ["d1","%dev\\_\\%%",1,10,0]

-- eps.count
select count(*) as "n" from "enterprise_projects" where ("domain_id" = $1 and lower("name") like $2 escape '\');
-- parameters: ["d1","%dev%"]

-- quotas.listOverrides
select "resource", "quota", "update_time" from "workspace_quotas" where "project_id" = $1 and "workspace_id" = $2;
-- parameters: ["p1","w1"]

-- quotas.upsert
insert into "workspace_quotas" ("resource", "quota", "update_time", "project_id", "workspace_id") values ($1, $2, $3, $4, $5) on conflict ("project_id", "workspace_id", "resource") do update set "quota" = "excluded"."quota", "update_time" = "excluded"."update_time";
-- parameters: ["r",5,1,"p1","w1"]

-- jobs.enqueue
insert into "jobs" ("id", "type", "payload", "status", "attempts", "run_at", "locked_by", "locked_until", "last_error", "created_at", "updated_at") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11);
-- parameters: ["<id>","workspace.delete","{\"workspace_id\":\"w1\"}","pending",0,1,null,null,null,1,1]

-- jobs.claim
select "id", "status", "attempts" from "jobs" where (("status" = $1 and "run_at" <= $2) or ("status" = $3 and "locked_until" < $4)) order by "run_at" limit $5;
-- parameters: ["pending",5,"running",5,1]

-- jobs.renew
update "jobs" set "locked_until" = $1 where "id" = $2 and "attempts" = $3 and "locked_by" = $4 and "status" = $5;
-- parameters: [1005,"j1",2,"worker-1","running"]

-- jobs.complete
update "jobs" set "status" = $1, "locked_by" = $2, "locked_until" = $3, "last_error" = $4, "updated_at" = $5 where "id" = $6 and "attempts" = $7 and "locked_by" = $8 and "status" = $9;
-- parameters: ["done",null,null,null,5,"j1",2,"worker-1","running"]

-- jobs.retryLater
update "jobs" set "status" = $1, "run_at" = $2, "locked_by" = $3, "locked_until" = $4, "last_error" = $5, "updated_at" = $6 where "id" = $7 and "attempts" = $8 and "locked_by" = $9 and "status" = $10;
-- parameters: ["pending",10,null,null,"boom",5,"j1",2,"worker-1","running"]

-- jobs.reschedule
update "jobs" set "status" = $1, "attempts" = $2, "run_at" = $3, "payload" = $4, "locked_by" = $5, "locked_until" = $6, "updated_at" = $7 where "id" = $8 and "attempts" = $9 and "locked_by" = $10 and "status" = $11;
-- parameters: ["pending",1,20,"{\"workspace_id\":\"w1\",\"held_until\":20}",null,null,5,"j1",2,"worker-1","running"]

-- jobs.cancelPending
select "id", "payload" from "jobs" where "type" = $1 and "status" = $2;
-- parameters: ["workspace.delete","pending"]

-- jobs.fail
update "jobs" set "status" = $1, "locked_by" = $2, "locked_until" = $3, "last_error" = $4, "updated_at" = $5 where "id" = $6 and "attempts" = $7 and "locked_by" = $8 and "status" = $9;
-- parameters: ["failed",null,null,"boom",5,"j1",2,"worker-1","running"]

-- jobs.purgeFinished
delete from "jobs" where "id" in (select "id" from "jobs" where "status" in ($1, $2) and "updated_at" < $3 limit $4);
-- parameters: ["done","failed",5,500]

-- jobs.countGauged
select "status", count(*) as "n" from "jobs" where "status" in ($1, $2, $3) group by "status";
-- parameters: ["pending","running","failed"]

-- testControls.insert
insert into "test_controls" ("id", "kind", "project_id", "workspace_id", "operations", "parameters", "remaining", "expires_at", "created_at") values ($1, $2, $3, $4, $5, $6, $7, $8, $9);
-- parameters: ["c1","fault",null,null,"[\"ShowWorkspace\"]","{\"share\":1}",null,9,1]

-- testControls.listActive
select * from "test_controls" where "expires_at" > $1 and ("remaining" is null or "remaining" > $2) and "project_id" = $3 order by "created_at", "id";
-- parameters: [5,0,"p1"]

-- testControls.listActiveOfKind
select * from "test_controls" where "expires_at" > $1 and ("remaining" is null or "remaining" > $2) and "kind" = $3 order by "created_at", "id";
-- parameters: [5,0,"fault"]

-- testControls.listForDeletion
select * from "test_controls" where "expires_at" > $1 and ("remaining" is null or "remaining" > $2) and "kind" = $3 and "project_id" = $4 and ("workspace_id" = $5 or "workspace_id" is null) order by "created_at", "id";
-- parameters: [5,0,"deletion_failure","p1","w1"]

-- testControls.takeOne
update "test_controls" set "remaining" = "remaining" - $1 where "id" = $2 and "remaining" > $3 and "expires_at" > $4;
-- parameters: [1,"c1",0,5]

-- testControls.remove
delete from "test_controls" where "id" = $1;
-- parameters: ["c1"]

-- testControls.removeAll
delete from "test_controls" where "project_id" = $1;
-- parameters: ["p1"]

-- testControls.purgeSpent
delete from "test_controls" where ("expires_at" <= $1 or "remaining" = $2);
-- parameters: [5,0]

-- traces.insert
insert into "traces" ("trace_id", "domain_id", "project_id", "time", "record_time", "trace_name", "trace_rating", "trace_type", "service_type", "resource_type", "resource_id", "resource_name", "code", "request", "response", "user_id", "user_name", "domain_name", "source_ip", "request_id", "api_version", "message") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22);
-- parameters: ["t1","d1","p1",1,2,"createWorkspace","normal","ApiCall","ModelArts","workspace","w1","alpha","200","{}","{}","u1","root","root","127.0.0.1","r1","v1",""]

-- traces.findPosition
select "time" from "traces" where "trace_id" = $1 and "domain_id" = $2;
-- parameters: ["t1","d1"]

-- traces.list
select * from "traces" where "domain_id" = $1 and ("project_id" = $2 or "project_id" is null) and "time" >= $3 and "time" <= $4 order by "time" desc, "trace_id" desc limit $5;
-- parameters: ["d1","p1",1,9,11]

-- traces.list filtered after a marker
select * from "traces" where "domain_id" = $1 and ("project_id" = $2 or "project_id" is null) and "time" >= $3 and "time" <= $4 and ("time" < $5 or ("time" = $6 and "trace_id" < $7)) and "service_type" = $8 and "user_name" = $9 and "trace_rating" = $10 order by "time" desc, "trace_id" desc limit $11;
-- parameters: ["d1","p1",1,9,5,5,"t1","IAM","root","warning",11]

-- traces.purgeBefore
delete from "traces" where "trace_id" in (select "trace_id" from "traces" where "trace_id" < $1 order by "trace_id" limit $2);
-- parameters: ["00000000-0005-0000-0000-000000000000",1000]

-- traces.deleteOfDomain
delete from "traces" where "domain_id" = $1;
-- parameters: ["d1"]
