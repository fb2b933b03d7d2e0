//! The demo organ (江北职业技术学院 党政办公室); filled in below.
//!
//! `mishu serve --demo` and `mishu demo` load it into an empty database so a newcomer sees
//! a believable office: the organ, its departments and leaders with their supervision (分管),
//! a person for every role, two meeting rooms, the holiday calendar and items already in
//! motion so every business inbox holds something. Everything goes through the services, so
//! the audit log records the load like any other work; the few writes the services cannot
//! express yet (rooms, a backdated deadline) are audited here.

mod archives;
mod arrangement;
mod incoming;
mod items;
mod meetings;
mod outgoing;
mod people;
mod seals;

use crate::audit::{self, Origin};
use crate::{ServiceError, ServiceResult, Services, args, auth, org, settings, tasks};
use mishu_domain::audit::AuditEvent;
use mishu_domain::calendar::DayKind;
use mishu_domain::password::PasswordPolicy;
use rand::seq::SliceRandom;
use serde_json::json;

/// One demo account, as `mishu demo` prints it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DemoLogin {
    pub login: String,
    pub name: String,
    /// What the account shows, e.g. "秘书 (秘书科)".
    pub what: String,
}

/// What the load produced: the one password of every demo account, and the accounts.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DemoReport {
    pub password: String,
    pub logins: Vec<DemoLogin>,
}

/// True when the database already holds an organ (demo or real).
pub async fn is_loaded(s: &Services) -> ServiceResult<bool> {
    Ok(org::organ(s).await?.is_some())
}

/// Loads the demo organ into an empty database. Refuses a database that already holds an
/// organ or people: demo data never mixes with real data.
pub async fn load(s: &Services) -> ServiceResult<DemoReport> {
    const ONLY_EMPTY: &str = "the demo loads only into an empty database";
    if is_loaded(s).await? {
        return Err(ServiceError::Conflict(format!("this database already holds an organ; {ONLY_EMPTY}")));
    }
    if !org::people(s, None).await?.is_empty() || !org::departments(s).await?.is_empty() {
        let msg = format!("this database already holds people or departments; {ONLY_EMPTY}");
        return Err(ServiceError::Conflict(msg));
    }
    let origin = Origin::system();
    let organ = org::Organ {
        name: "江北职业技术学院".into(),
        short_name: "江北职院".into(),
        higher_authority: "某省教育厅".into(),
    };
    org::set_organ(s, &origin, &organ).await?;
    let staff = people::create(s, &origin).await?;

    // One password for every demo account, new on each load, never written down in code.
    let policy = settings::password_policy(&s.db).await?;
    let password = generate_password(&policy, staff.logins.iter().map(|l| l.login.as_str()));
    for id in staff.ids.values() {
        auth::set_password(s, &origin, *id, &password, false).await?;
    }

    create_rooms(s, &origin).await?;
    meetings::create_equipment(s, &origin).await?;
    for (day, kind, note) in HOLIDAYS_2027 {
        tasks::set_day(s, &origin, day, Some(*kind), note).await?;
    }
    items::create(s, &staff).await?;
    Ok(DemoReport { password, logins: staff.logins })
}

/// Four groups of four from an alphabet without look-alikes (0/O, 1/l/I), joined by `-`,
/// e.g. `Jb7k-q2Mx-…`; drawn again until the office's password policy accepts it for every
/// demo login (the `-` is the symbol class; a longer policy gets more groups).
fn generate_password<'a>(policy: &PasswordPolicy, logins: impl Iterator<Item = &'a str> + Clone) -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let groups = policy.min_length.div_ceil(5).max(4);
    let mut rng = rand::thread_rng();
    loop {
        let pw = (0..groups)
            .map(|_| (0..4).map(|_| char::from(*ALPHABET.choose(&mut rng).unwrap_or(&b'x'))).collect::<String>())
            .collect::<Vec<_>>()
            .join("-");
        if logins.clone().all(|l| policy.check(&pw, l).is_ok()) {
            return pw;
        }
    }
}

/// The two meeting rooms of the administration building (the rooms domain will own this).
async fn create_rooms(s: &Services, origin: &Origin) -> ServiceResult<()> {
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    for (name, location, capacity, equipment, needs_approval) in
        [("第一会议室", "行政楼三楼", 10_i64, "屏幕", false), ("第二会议室", "行政楼二楼", 40, "音响 投影", true)]
    {
        let id = tx
            .insert_returning_id(
                // Allocated by 行政科 (R5.2), whose head consents to equipment use (R5.8).
                "INSERT INTO rooms (name, location, capacity, equipment, equipment_needs_approval, managed_by)
                 VALUES ($1, $2, $3, $4, $5, (SELECT MIN(department_id) FROM departments WHERE name = '行政科'))
                 RETURNING room_id",
                args![name, location, capacity, equipment, needs_approval],
            )
            .await?;
        let detail = json!({"name": name, "location": location, "capacity": capacity, "equipment": equipment, "equipment_needs_approval": needs_approval});
        audit::append(
            &mut tx,
            &s.audit_key,
            origin,
            now,
            &AuditEvent::new("room.created", "room", Some(id.to_string()), detail),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// China's 2027 public holidays as the demo calendar. The State Council publishes the real
/// schedule (with its make-up working days, 调休) each November: the office should enter
/// that; these are the statutory days and the usual bridges, without guessed make-up days.
const HOLIDAYS_2027: &[(&str, DayKind, &str)] = &[
    ("2027-01-01", DayKind::Holiday, "元旦"),
    ("2027-01-02", DayKind::Holiday, "元旦"),
    ("2027-01-03", DayKind::Holiday, "元旦"),
    ("2027-02-05", DayKind::Holiday, "春节（除夕）"),
    ("2027-02-06", DayKind::Holiday, "春节"),
    ("2027-02-07", DayKind::Holiday, "春节"),
    ("2027-02-08", DayKind::Holiday, "春节"),
    ("2027-02-09", DayKind::Holiday, "春节"),
    ("2027-02-10", DayKind::Holiday, "春节"),
    ("2027-02-11", DayKind::Holiday, "春节"),
    ("2027-02-12", DayKind::Holiday, "春节"),
    ("2027-02-13", DayKind::Holiday, "春节"),
    ("2027-04-03", DayKind::Holiday, "清明节"),
    ("2027-04-04", DayKind::Holiday, "清明节"),
    ("2027-04-05", DayKind::Holiday, "清明节"),
    ("2027-05-01", DayKind::Holiday, "劳动节"),
    ("2027-05-02", DayKind::Holiday, "劳动节"),
    ("2027-05-03", DayKind::Holiday, "劳动节"),
    ("2027-05-04", DayKind::Holiday, "劳动节"),
    ("2027-05-05", DayKind::Holiday, "劳动节"),
    ("2027-06-09", DayKind::Holiday, "端午节"),
    ("2027-09-15", DayKind::Holiday, "中秋节"),
    ("2027-10-01", DayKind::Holiday, "国庆节"),
    ("2027-10-02", DayKind::Holiday, "国庆节"),
    ("2027-10-03", DayKind::Holiday, "国庆节"),
    ("2027-10-04", DayKind::Holiday, "国庆节"),
    ("2027-10-05", DayKind::Holiday, "国庆节"),
    ("2027-10-06", DayKind::Holiday, "国庆节"),
    ("2027-10-07", DayKind::Holiday, "国庆节"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_satisfies_the_policy_and_avoids_logins() {
        let policy = PasswordPolicy::default();
        for _ in 0..50 {
            let pw = generate_password(&policy, ["mishu", "zhuren"].into_iter());
            assert!(policy.check(&pw, "mishu").is_ok() && policy.check(&pw, "zhuren").is_ok(), "{pw}");
            assert_eq!(pw.len(), 19);
        }
        let long = PasswordPolicy { min_length: 24, ..Default::default() };
        assert!(generate_password(&long, ["x"].into_iter()).len() >= 24);
    }
}
