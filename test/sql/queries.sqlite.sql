-- workspaces.insert
select
  (select broken from workspace_seq_order) as broken,
  (select seq from workspaces where (project_id, name) < (?, ?) and seq > 0 order by project_id desc, name desc limit 1) as before,
  (select seq from workspaces where (project_id, name) > (?, ?) and seq > 0 order by project_id, name limit 1) as after;
-- parameters: ["p1","alpha","p1","alpha"]

-- workspaces.insert
insert into "workspaces" ("project_id", "id", "name", "description", "owner_id", "owner_name", "enterprise_project_id", "auth_type", "status", "status_info", "create_time", "update_time") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
-- parameters: ["p1","w1","alpha","","u1","root","0","public","NORMAL","",1,1]

-- workspaces.findByIds
select "w"."project_id", "w"."id", "w"."name", "w"."description", "w"."owner_id", "w"."owner_name", "w"."enterprise_project_id", "w"."auth_type", "w"."status", "w"."status_info", "w"."create_time", "w"."update_time", coalesce("ep"."name", 'default') as "enterprise_project_name" from "workspaces" as "w" left join "enterprise_projects" as "ep" on "ep"."id" = "w"."enterprise_project_id" where "w"."project_id" = ? and "w"."id" in (select value from json_each(?));
-- parameters: ["p1","[\"w1\",\"w2\"]"]

-- workspaces.findByIds one
select "w"."project_id", "w"."id", "w"."name", "w"."description", "w"."owner_id", "w"."owner_name", "w"."enterprise_project_id", "w"."auth_type", "w"."status", "w"."status_info", "w"."create_time", "w"."update_time", coalesce("ep"."name", 'default') as "enterprise_project_name" from "workspaces" as "w" left join "enterprise_projects" as "ep" on "ep"."id" = "w"."enterprise_project_id" where "w"."project_id" = ? and "w"."id" = ?;
-- parameters: ["p1","w1"]

-- workspaces.findShownByIds
select "w"."id", "w"."owner_id", "w"."auth_type", coalesce(w.summary, json_object('id', "w"."id", 'name', "w"."name", 'description', "w"."description", 'owner', "w"."owner_name", 'create_time', "w"."create_time", 'update_time', "w"."update_time", 'enterprise_project_id', "w"."enterprise_project_id", 'enterprise_project_name', coalesce((select ep.name from enterprise_projects ep where ep.id = "w"."enterprise_project_id"), 'default'), 'auth_type', "w"."auth_type", 'status', "w"."status", 'status_info', "w"."status_info")) as "summary", case when "w"."auth_type" = 'internal' then ((select coalesce(json_group_array(json_object('position', "g"."position", 'user_id', "g"."user_id", 'user_name', "g"."user_name", 'user_type', "g"."user_type") order by "g"."position"), '[]') as "list" from "workspace_grants" as "g" where "g"."project_id" = "w"."project_id" and "g"."workspace_id" = "w"."id")) end as "grants" from "workspaces" as "w" where "w"."project_id" = ? and "w"."id" in (select value from json_each(?));
-- parameters: ["p1","[\"w1\",\"w2\"]"]

-- workspaces.findShownByIds one
select "w"."id", "w"."owner_id", "w"."auth_type", coalesce(w.summary, json_object('id', "w"."id", 'name', "w"."name", 'description', "w"."description", 'owner', "w"."owner_name", 'create_time', "w"."create_time", 'update_time', "w"."update_time", 'enterprise_project_id', "w"."enterprise_project_id", 'enterprise_project_name', coalesce((select ep.name from enterprise_projects ep where ep.id = "w"."enterprise_project_id"), 'default'), 'auth_type', "w"."auth_type", 'status', "w"."status", 'status_info', "w"."status_info")) as "summary", case when "w"."auth_type" = 'internal' then ((select coalesce(json_group_array(json_object('position', "g"."position", 'user_id', "g"."user_id", 'user_name', "g"."user_name", 'user_type', "g"."user_type") order by "g"."position"), '[]') as "list" from "workspace_grants" as "g" where "g"."project_id" = "w"."project_id" and "g"."workspace_id" = "w"."id")) end as "grants" from "workspaces" as "w" where "w"."project_id" = ? and "w"."id" = ?;
-- parameters: ["p1","w1"]

-- workspaces.nameTaken
select "id" from "workspaces" where "project_id" = ? and "name" = ?;
-- parameters: ["p1","alpha"]

-- workspaces.list unfiltered
select coalesce(w.summary, json_object('id', "w"."id", 'name', "w"."name", 'description', "w"."description", 'owner', "w"."owner_name", 'create_time', "w"."create_time", 'update_time', "w"."update_time", 'enterprise_project_id', "w"."enterprise_project_id", 'enterprise_project_name', coalesce((select ep.name from enterprise_projects ep where ep.id = "w"."enterprise_project_id"), 'default'), 'auth_type', "w"."auth_type", 'status', "w"."status", 'status_info', "w"."status_info")) as "summary" from (select w.seq as "key" from "workspaces" as "w" where w.project_id = ? order by "w"."update_time" desc, "w"."name" desc limit ? offset ?) as "p" inner join "workspaces" as "w" on w.seq = "p"."key" order by "w"."update_time" desc, "w"."name" desc;
-- parameters: ["p1",10,20]

-- workspaces.list by name, many matches
select coalesce(w.summary, json_object('id', "w"."id", 'name', "w"."name", 'description', "w"."description", 'owner', "w"."owner_name", 'create_time', "w"."create_time", 'update_time', "w"."update_time", 'enterprise_project_id', "w"."enterprise_project_id", 'enterprise_project_name', coalesce((select ep.name from enterprise_projects ep where ep.id = "w"."enterprise_project_id"), 'default'), 'auth_type', "w"."auth_type", 'status', "w"."status", 'status_info', "w"."status_info")) as "summary" from "workspaces" as "w" where (+w.project_id = ? and w.seq in (select rowid from workspaces_name_fts where workspaces_name_fts match ?)) order by "w"."name" desc limit ? offset ?;
-- parameters: ["p1","\"alp\"",10,20]

-- workspaces.list by name, few matches
select coalesce(w.summary, json_object('id', "w"."id", 'name', "w"."name", 'description', "w"."description", 'owner', "w"."owner_name", 'create_time', "w"."create_time", 'update_time', "w"."update_time", 'enterprise_project_id', "w"."enterprise_project_id", 'enterprise_project_name', coalesce((select ep.name from enterprise_projects ep where ep.id = "w"."enterprise_project_id"), 'default'), 'auth_type', "w"."auth_type", 'status', "w"."status", 'status_info', "w"."status_info")) as "summary" from "workspaces" as "w" where (+w.project_id = ? and w.seq in (select rowid from workspaces_name_fts where workspaces_name_fts match ?)) order by "w"."name" desc limit ? offset ?;
-- parameters: ["p1","\"alp\"",10,20]

-- workspaces.list by name, enterprise project and access, few matches
select coalesce(w.summary, json_object('id', "w"."id", 'name', "w"."name", 'description', "w"."description", 'owner', "w"."owner_name", 'create_time', "w"."create_time", 'update_time', "w"."update_time", 'enterprise_project_id', "w"."enterprise_project_id", 'enterprise_project_name', coalesce((select ep.name from enterprise_projects ep where ep.id = "w"."enterprise_project_id"), 'default'), 'auth_type', "w"."auth_type", 'status', "w"."status", 'status_info', "w"."status_info")) as "summary" from (select w.seq as "key" from "workspaces" as "w" where (+w.project_id = ? and w.seq in (select rowid from workspaces_name_fts where workspaces_name_fts match ?) and "w"."enterprise_project_id" = ? and ("w"."auth_type" = ? or "w"."owner_id" = ? or ("w"."auth_type" = ? and exists (select 1 as "one" from "workspace_grants" as "g" where "g"."project_id" = "w"."project_id" and "g"."workspace_id" = "w"."id" and "g"."user_id" = ?)))) order by "w"."update_time" desc, "w"."name" desc limit ? offset ?) as "p" inner join "workspaces" as "w" on w.seq = "p"."key" order by "w"."update_time" desc, "w"."name" desc;
-- parameters: ["p1","\"alp\"","ep1","public","u2","internal","u2",10,20]

-- workspaces.list by short name
select coalesce(w.summary, json_object('id', "w"."id", 'name', "w"."name", 'description', "w"."description", 'owner', "w"."owner_name", 'create_time', "w"."create_time", 'update_time', "w"."update_time", 'enterprise_project_id', "w"."enterprise_project_id", 'enterprise_project_name', coalesce((select ep.name from enterprise_projects ep where ep.id = "w"."enterprise_project_id"), 'default'), 'auth_type', "w"."auth_type", 'status', "w"."status", 'status_info', "w"."status_info")) as "summary" from (select w.seq as "key" from "workspaces" as "w" where (w.project_id = ? and w.name like ? escape '\') order by "w"."status" asc, "w"."name" asc limit ? offset ?) as "p" inner join "workspaces" as "w" on w.seq = "p"."key" order by "w"."status" asc, "w"."name" asc;
-- parameters: ["p1","%al%",10,20]

-- workspaces.listPage by name
select json_group_array("w"."update_time") as "k0", json_group_array("w"."name") as "k1" from "workspace_sort_keys" as "w" inner join (select rowid as seq from workspaces_name_fts where workspaces_name_fts match ?) as "name_hits" on name_hits.seq = w.seq where +w.project_id = ?;
-- parameters: ["\"alp\"","p1"]

-- workspaces.listPage by name, enterprise project and access
select json_group_array("w"."name") as "k0" from "workspaces" as "w" inner join (select rowid as seq from workspaces_name_fts where workspaces_name_fts match ?) as "name_hits" on name_hits.seq = w.seq where (+w.project_id = ? and "w"."enterprise_project_id" = ? and ("w"."auth_type" = ? or "w"."owner_id" = ? or ("w"."auth_type" = ? and exists (select 1 as "one" from "workspace_grants" as "g" where "g"."project_id" = "w"."project_id" and "g"."workspace_id" = "w"."id" and "g"."user_id" = ?))));
-- parameters: ["\"alp\"","p1","ep1","public","u2","internal","u2"]

-- workspaces.listByNames
select "w"."name", coalesce(w.summary, json_object('id', "w"."id", 'name', "w"."name", 'description', "w"."description", 'owner', "w"."owner_name", 'create_time', "w"."create_time", 'update_time', "w"."update_time", 'enterprise_project_id', "w"."enterprise_project_id", 'enterprise_project_name', coalesce((select ep.name from enterprise_projects ep where ep.id = "w"."enterprise_project_id"), 'default'), 'auth_type', "w"."auth_type", 'status', "w"."status", 'status_info', "w"."status_info")) as "summary" from "workspaces" as "w" where "w"."project_id" = ? and "w"."name" in (select value from json_each(?));
-- parameters: ["p1","[\"alpha\",\"beta\"]"]

-- name order: matchesInNameOrder
with state as (select broken from workspace_seq_order),
  project as materialized (select
    (select seq from workspaces where project_id = ? and seq > 0 order by name limit 1) as low,
    (select seq from workspaces where project_id = ? and seq > 0 order by name desc limit 1) as high
    from state where broken = 0)
  select
    (select broken from state) as broken,
    (select count(*) from workspaces_name_fts where workspaces_name_fts match ?
      and rowid between (select low from project) and (select high from project)) as total,
    (select json_group_array(rowid) from (select rowid from workspaces_name_fts
      where workspaces_name_fts match ? and rowid between (select low from project) and (select high from project)
      order by rowid desc limit ? offset ?)) as seqs;
-- parameters: ["p1","p1","\"alp\"","\"alp\"",10,20]

-- workspaces.listPage unfiltered
select cast("projects"."workspace_count" + coalesce((select sum(c.n) from workspace_count_parts c where c.project_id = "projects"."id"), 0) as bigint) as "workspace_count" from "projects" where "id" = ?;
-- parameters: ["p1"]

-- workspaces.count
select count(*) as "n" from "workspaces" as "w" where (+w.project_id = ? and w.seq in (select rowid from workspaces_name_fts where workspaces_name_fts match ?) and "w"."enterprise_project_id" = ? and ("w"."auth_type" = ? or "w"."owner_id" = ? or ("w"."auth_type" = ? and exists (select 1 as "one" from "workspace_grants" as "g" where "g"."project_id" = "w"."project_id" and "g"."workspace_id" = "w"."id" and "g"."user_id" = ?))));
-- parameters: ["p1","\"alp\"","ep1","public","u2","internal","u2"]

-- workspaces.countAll
select cast("projects"."workspace_count" + coalesce((select sum(c.n) from workspace_count_parts c where c.project_id = "projects"."id"), 0) as bigint) as "workspace_count" from "projects" where "id" = ?;
-- parameters: ["p1"]

-- workspaces.transition
update "workspaces" set "status" = ?, "update_time" = ? where "project_id" = ? and "id" = ? and "status" in (?, ?);
-- parameters: ["DELETING",2,"p1","w1","NORMAL","DELETE_FAILED"]

-- workspaces.purge
delete from "workspaces" where "project_id" = ? and "id" = ? and "status" = ?;
-- parameters: ["p1","w1","DELETING"]

-- workspaces.listGrantsOf
select "workspace_id", "position", "user_id", "user_name", "user_type" from "workspace_grants" where "project_id" = ? and "workspace_id" in (select value from json_each(?)) order by "workspace_id", "position";
-- parameters: ["p1","[\"w1\"]"]

-- workspaces.replaceGrants
delete from "workspace_grants" where "project_id" = ? and "workspace_id" = ?;
-- parameters: ["p1","w1"]

-- workspaces.replaceGrants
insert into "workspace_grants" ("position", "user_id", "user_name", "user_type", "project_id", "workspace_id") values (?, ?, ?, ?, ?, ?);
-- parameters: [0,"u1","bob","IAM","p1","w1"]

-- workspaces.deleteGrantsOfUser
delete from "workspace_grants" where "user_id" = ?;
-- parameters: ["u1"]

-- workspaces.insertNew
select "id" from "workspaces" where "project_id" = ? and "name" = ?;
-- parameters: ["p1","alpha"]

-- workspaces.insertNew
select
  (select broken from workspace_seq_order) as broken,
  (select seq from workspaces where (project_id, name) < (?, ?) and seq > 0 order by project_id desc, name desc limit 1) as before,
  (select seq from workspaces where (project_id, name) > (?, ?) and seq > 0 order by project_id, name limit 1) as after;
-- parameters: ["p1","alpha","p1","alpha"]

-- workspaces.insertNew
insert into "workspaces" ("project_id", "id", "name", "description", "owner_id", "owner_name", "enterprise_project_id", "auth_type", "status", "status_info", "create_time", "update_time") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
-- parameters: ["p1","w1","alpha","","u1","root","0","public","NORMAL","",1,1]

-- workspaces.insertNew
insert into "workspace_grants" ("position", "user_id", "user_name", "user_type", "project_id", "workspace_id") values (?, ?, ?, ?, ?, ?);
-- parameters: [0,"u1","bob","IAM","p1","w1"]

-- workspaces.insertNew
insert into "traces" ("trace_id", "domain_id", "project_id", "time", "record_time", "trace_name", "trace_rating", "trace_type", "service_type", "resource_type", "resource_id", "resource_name", "code", "request", "response", "user_id", "user_name", "domain_name", "source_ip", "request_id", "api_version", "message") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
-- parameters: ["t1","d1","p1",1,2,"createWorkspace","normal","ApiCall","ModelArts","workspace","w1","alpha","200","{}","{}","u1","root","root","127.0.0.1","r1","v1",""]

-- workspaces.insertNew
update "projects" set "workspace_count" = "workspace_count" + ? where "id" = ?;
-- parameters: [1,"p1"]

-- workspaces.insertNew under a limit
select "id" from "workspaces" where "project_id" = ? and "name" = ?;
-- parameters: ["p1","alpha"]

-- workspaces.insertNew under a limit
select
  (select broken from workspace_seq_order) as broken,
  (select seq from workspaces where (project_id, name) < (?, ?) and seq > 0 order by project_id desc, name desc limit 1) as before,
  (select seq from workspaces where (project_id, name) > (?, ?) and seq > 0 order by project_id, name limit 1) as after;
-- parameters: ["p1","alpha","p1","alpha"]

-- workspaces.insertNew under a limit
insert into "workspaces" ("project_id", "id", "name", "description", "owner_id", "owner_name", "enterprise_project_id", "auth_type", "status", "status_info", "create_time", "update_time") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
-- parameters: ["p1","w1","alpha","","u1","root","0","public","NORMAL","",1,1]

-- workspaces.insertNew under a limit
insert into "workspace_grants" ("position", "user_id", "user_name", "user_type", "project_id", "workspace_id") values (?, ?, ?, ?, ?, ?);
-- parameters: [0,"u1","bob","IAM","p1","w1"]

-- workspaces.insertNew under a limit
insert into "traces" ("trace_id", "domain_id", "project_id", "time", "record_time", "trace_name", "trace_rating", "trace_type", "service_type", "resource_type", "resource_id", "resource_name", "code", "request", "response", "user_id", "user_name", "domain_name", "source_ip", "request_id", "api_version", "message") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
-- parameters: ["t1","d1","p1",1,2,"createWorkspace","normal","ApiCall","ModelArts","workspace","w1","alpha","200","{}","{}","u1","root","root","127.0.0.1","r1","v1",""]

-- workspaces.insertNew under a limit
update "projects" set "workspace_count" = "workspace_count" + ? where "id" = ? and cast("projects"."workspace_count" + coalesce((select sum(c.n) from workspace_count_parts c where c.project_id = "projects"."id"), 0) as bigint) < ?;
-- parameters: [1,"p1",1000]

-- workspaces.reserveSlot
update "projects" set "workspace_count" = "workspace_count" + ? where "id" = ? and cast("projects"."workspace_count" + coalesce((select sum(c.n) from workspace_count_parts c where c.project_id = "projects"."id"), 0) as bigint) < ?;
-- parameters: [1,"p1",1000]

-- workspaces.releaseSlot
update "projects" set "workspace_count" = "workspace_count" - ? where "id" = ?;
-- parameters: [1,"p1"]

-- workspaces.lockProject
select "id" from "projects" where "id" = ?;
-- parameters: ["p1"]

-- workspaces.removeAllOfProjects
delete from "workspaces" where "project_id" in (?, ?);
-- parameters: ["p1","p2"]

-- workspaces.removeAllOfProjects
update "projects" set "workspace_count" = cast(0 - coalesce((select sum(c.n) from workspace_count_parts c where c.project_id = "projects"."id"), 0) as bigint) where "id" in (?, ?);
-- parameters: ["p1","p2"]

-- identity.findProjectById
select * from "projects" where "id" = ?;
-- parameters: ["p1"]

-- identity.listProjects
select * from "projects" where "domain_id" = ? and "name" = ? order by "name";
-- parameters: ["d1","cn-north-4"]

-- identity.insertUser
insert into "users" ("id", "domain_id", "name", "password_hash", "description", "is_root", "enabled", "created_at") values (?, ?, ?, ?, ?, ?, ?, ?);
-- parameters: ["u1","d1","bob",null,"",0,1,1]

-- identity.findUsers
select * from "users" where "domain_id" = ? and ("id" in (?) or "name" in (?, ?));
-- parameters: ["d1","u1","bob","eve"]

-- identity.findUserByName
select * from "users" where "domain_id" = ? and "name" = ?;
-- parameters: ["d1","bob"]

-- identity.findRootUser
select * from "users" where "is_root" = ? order by "created_at";
-- parameters: [1]

-- identity.updateUser
update "users" set "description" = ?, "enabled" = ? where "id" = ?;
-- parameters: ["x",0,"u1"]

-- identity.lockUser
update "users" set "id" = "id" where "id" = ?;
-- parameters: ["u1"]

-- lockout.find
select * from "login_failures" where "user_id" = ?;
-- parameters: ["u1"]

-- lockout.ensure
insert into "login_failures" ("user_id", "failures", "window_started_at") select "id", 0 as "failures", 0 as "window_started_at" from "users" where "id" = ? on conflict ("user_id") do nothing;
-- parameters: ["u1"]

-- lockout.findForUpdate
select * from "login_failures" where "user_id" = ?;
-- parameters: ["u1"]

-- lockout.update
update "login_failures" set "failures" = ?, "window_started_at" = ?, "locked_until" = ? where "user_id" = ?;
-- parameters: [2,1,null,"u1"]

-- lockout.clearUnlessLocked
delete from "login_failures" where "user_id" = ? and ("locked_until" is null or "locked_until" <= ?);
-- parameters: ["u1",5]

-- lockout.clear
delete from "login_failures" where "user_id" = ?;
-- parameters: ["u1"]

-- credentials.findAccessKeyWithOwner
select "users"."id" as "user_id", "users"."name" as "user_name", "users"."domain_id" as "domain_id", "domains"."name" as "domain_name", "users"."is_root" as "is_root", "users"."enabled" as "enabled", "domains"."enabled" as "domain_enabled", "access_keys"."secret_key" as "secret_key", "access_keys"."status" as "status" from "users" inner join "domains" on "domains"."id" = "users"."domain_id" inner join "access_keys" on "access_keys"."user_id" = "users"."id" where "access_keys"."access_key" = ?;
-- parameters: ["AK1"]

-- credentials.listDomainAccessKeys
select "access_keys".* from "access_keys" inner join "users" on "users"."id" = "access_keys"."user_id" where "users"."domain_id" = ? order by "access_keys"."created_at";
-- parameters: ["d1"]

-- credentials.findTokenWithOwner
select "users"."id" as "user_id", "users"."name" as "user_name", "users"."domain_id" as "domain_id", "domains"."name" as "domain_name", "users"."is_root" as "is_root", "users"."enabled" as "enabled", "domains"."enabled" as "domain_enabled", "tokens"."project_id" as "project_id", "tokens"."expires_at" as "expires_at" from "users" inner join "domains" on "domains"."id" = "users"."domain_id" inner join "tokens" on "tokens"."user_id" = "users"."id" where "tokens"."token_hash" = ?;
-- parameters: ["hash"]

-- credentials.deleteExpiredTokens
delete from "tokens" where "expires_at" < ?;
-- parameters: [5]

-- accounts.list
select * from "domains" order by "created_at", "name";
-- parameters: []

-- accounts.list some
select * from "domains" where "id" in (?, ?) order by "created_at", "name";
-- parameters: ["d1","d2"]

-- accounts.listProjects
select "id", "name", "domain_id", "parent_id", cast("projects"."workspace_count" + coalesce((select sum(c.n) from workspace_count_parts c where c.project_id = "projects"."id"), 0) as bigint) as "workspace_count" from "projects" where "domain_id" in (?, ?) order by "domain_id", "name";
-- parameters: ["d1","d2"]

-- accounts.listProjects of all
select "id", "name", "domain_id", "parent_id", cast("projects"."workspace_count" + coalesce((select sum(c.n) from workspace_count_parts c where c.project_id = "projects"."id"), 0) as bigint) as "workspace_count" from "projects" order by "domain_id", "name";
-- parameters: []

-- accounts.countUsers
select "domain_id", count(*) as "n" from "users" where "domain_id" in (?, ?) group by "domain_id";
-- parameters: ["d1","d2"]

-- accounts.countUsers of all
select "domain_id", count(*) as "n" from "users" group by "domain_id";
-- parameters: []

-- accounts.setEnabled
update "domains" set "enabled" = ? where "id" = ?;
-- parameters: [0,"d1"]

-- accounts.lockForDeletion
select "id" from "domains" where "id" = ?;
-- parameters: ["d1"]

-- accounts.lockForDeletion
select "id" from "projects" where "domain_id" = ?;
-- parameters: ["d1"]

-- accounts.deleteAccount
delete from "tokens" where "user_id" in (select "id" from "users" where "domain_id" = ?);
-- parameters: ["d1"]

-- accounts.deleteAccount
delete from "access_keys" where "user_id" in (select "id" from "users" where "domain_id" = ?);
-- parameters: ["d1"]

-- accounts.deleteAccount
delete from "users" where "domain_id" = ?;
-- parameters: ["d1"]

-- accounts.deleteAccount
delete from "projects" where "domain_id" = ?;
-- parameters: ["d1"]

-- accounts.deleteAccount
delete from "domains" where "id" = ?;
-- parameters: ["d1"]

-- eps.deleteAllOfDomain
delete from "enterprise_projects" where "domain_id" = ?;
-- parameters: ["d1"]

-- eps.list
select * from "enterprise_projects" where ("domain_id" = ? and lower("name") like ? escape '\' and "status" = ?) order by "created_at" desc, "name" asc limit ? offset ?;
-- parameters: ["d1","%dev\\_\\%%",1,10,0]

-- eps.count
select count(*) as "n" from "enterprise_projects" where ("domain_id" = ? and lower("name") like ? escape '\');
-- parameters: ["d1","%dev%"]

-- quotas.listOverrides
select "resource", "quota", "update_time" from "workspace_quotas" where "project_id" = ? and "workspace_id" = ?;
-- parameters: ["p1","w1"]

-- quotas.upsert
insert into "workspace_quotas" ("resource", "quota", "update_time", "project_id", "workspace_id") values (?, ?, ?, ?, ?) on conflict ("project_id", "workspace_id", "resource") do update set "quota" = "excluded"."quota", "update_time" = "excluded"."update_time";
-- parameters: ["r",5,1,"p1","w1"]

-- jobs.enqueue
insert into "jobs" ("id", "type", "payload", "status", "attempts", "run_at", "locked_by", "locked_until", "last_error", "created_at", "updated_at") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
-- parameters: ["<id>","workspace.delete","{\"workspace_id\":\"w1\"}","pending",0,1,null,null,null,1,1]

-- jobs.claim
select "id", "status", "attempts" from "jobs" where (("status" = ? and "run_at" <= ?) or ("status" = ? and "locked_until" < ?)) order by "run_at" limit ?;
-- parameters: ["pending",5,"running",5,1]

-- jobs.renew
update "jobs" set "locked_until" = ? where "id" = ? and "attempts" = ? and "locked_by" = ? and "status" = ?;
-- parameters: [1005,"j1",2,"worker-1","running"]

-- jobs.complete
update "jobs" set "status" = ?, "locked_by" = ?, "locked_until" = ?, "last_error" = ?, "updated_at" = ? where "id" = ? and "attempts" = ? and "locked_by" = ? and "status" = ?;
-- parameters: ["done",null,null,null,5,"j1",2,"worker-1","running"]

-- jobs.retryLater
update "jobs" set "status" = ?, "run_at" = ?, "locked_by" = ?, "locked_until" = ?, "last_error" = ?, "updated_at" = ? where "id" = ? and "attempts" = ? and "locked_by" = ? and "status" = ?;
-- parameters: ["pending",10,null,null,"boom",5,"j1",2,"worker-1","running"]

-- jobs.reschedule
update "jobs" set "status" = ?, "attempts" = ?, "run_at" = ?, "payload" = ?, "locked_by" = ?, "locked_until" = ?, "updated_at" = ? where "id" = ? and "attempts" = ? and "locked_by" = ? and "status" = ?;
-- parameters: ["pending",1,20,"{\"workspace_id\":\"w1\",\"held_until\":20}",null,null,5,"j1",2,"worker-1","running"]

-- jobs.cancelPending
select "id", "payload" from "jobs" where "type" = ? and "status" = ?;
-- parameters: ["workspace.delete","pending"]

-- jobs.fail
update "jobs" set "status" = ?, "locked_by" = ?, "locked_until" = ?, "last_error" = ?, "updated_at" = ? where "id" = ? and "attempts" = ? and "locked_by" = ? and "status" = ?;
-- parameters: ["failed",null,null,"boom",5,"j1",2,"worker-1","running"]

-- jobs.purgeFinished
delete from "jobs" where "id" in (select "id" from "jobs" where "status" in (?, ?) and "updated_at" < ? limit ?);
-- parameters: ["done","failed",5,500]

-- jobs.countGauged
select "status", count(*) as "n" from "jobs" where "status" in (?, ?, ?) group by "status";
-- parameters: ["pending","running","failed"]

-- testControls.insert
insert into "test_controls" ("id", "kind", "project_id", "workspace_id", "operations", "parameters", "remaining", "expires_at", "created_at") values (?, ?, ?, ?, ?, ?, ?, ?, ?);
-- parameters: ["c1","fault",null,null,"[\"ShowWorkspace\"]","{\"share\":1}",null,9,1]

-- testControls.listActive
select * from "test_controls" where "expires_at" > ? and ("remaining" is null or "remaining" > ?) and "project_id" = ? order by "created_at", "id";
-- parameters: [5,0,"p1"]

-- testControls.listActiveOfKind
select * from "test_controls" where "expires_at" > ? and ("remaining" is null or "remaining" > ?) and "kind" = ? order by "created_at", "id";
-- parameters: [5,0,"fault"]

-- testControls.listForDeletion
select * from "test_controls" where "expires_at" > ? and ("remaining" is null or "remaining" > ?) and "kind" = ? and "project_id" = ? and ("workspace_id" = ? or "workspace_id" is null) order by "created_at", "id";
-- parameters: [5,0,"deletion_failure","p1","w1"]

-- testControls.takeOne
update "test_controls" set "remaining" = "remaining" - ? where "id" = ? and "remaining" > ? and "expires_at" > ?;
-- parameters: [1,"c1",0,5]

-- testControls.remove
delete from "test_controls" where "id" = ?;
-- parameters: ["c1"]

-- testControls.removeAll
delete from "test_controls" where "project_id" = ?;
-- parameters: ["p1"]

-- testControls.purgeSpent
delete from "test_controls" where ("expires_at" <= ? or "remaining" = ?);
-- parameters: [5,0]

-- traces.insert
insert into "traces" ("trace_id", "domain_id", "project_id", "time", "record_time", "trace_name", "trace_rating", "trace_type", "service_type", "resource_type", "resource_id", "resource_name", "code", "request", "response", "user_id", "user_name", "domain_name", "source_ip", "request_id", "api_version", "message") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
-- parameters: ["t1","d1","p1",1,2,"createWorkspace","normal","ApiCall","ModelArts","workspace","w1","alpha","200","{}","{}","u1","root","root","127.0.0.1","r1","v1",""]

-- traces.findPosition
select "time" from "traces" where "trace_id" = ? and "domain_id" = ?;
-- parameters: ["t1","d1"]

-- traces.list
select * from "traces" where "domain_id" = ? and ("project_id" = ? or "project_id" is null) and "time" >= ? and "time" <= ? order by "time" desc, "trace_id" desc limit ?;
-- parameters: ["d1","p1",1,9,11]

-- traces.list filtered after a marker
select * from "traces" where "domain_id" = ? and ("project_id" = ? or "project_id" is null) and "time" >= ? and "time" <= ? and ("time" < ? or ("time" = ? and "trace_id" < ?)) and "service_type" = ? and "user_name" = ? and "trace_rating" = ? order by "time" desc, "trace_id" desc limit ?;
-- parameters: ["d1","p1",1,9,5,5,"t1","IAM","root","warning",11]

-- traces.purgeBefore
delete from "traces" where "trace_id" in (select "trace_id" from "traces" where "trace_id" < ? order by "trace_id" limit ?);
-- parameters: ["00000000-0005-0000-0000-000000000000",1000]

-- traces.deleteOfDomain
delete from "traces" where "domain_id" = ?;
-- parameters: ["d1"]
