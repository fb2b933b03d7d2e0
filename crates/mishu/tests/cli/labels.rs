//! `labels verify`: exactly the tampered rows are named; an upgrade seals old rows once.

use super::*;

#[tokio::test]
async fn labels_verify_names_exactly_the_tampered_rows_and_an_upgrade_seals_old_ones() {
    for (backend, url) in backends().await {
        let url = url.as_deref();
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let o = mishu(&data, url, &["demo"], &[]);
        assert_eq!(o.code, 0, "{backend}: demo\n{}", o.all());
        let o = mishu(&data, url, &["labels", "verify"], &[]);
        assert_eq!(o.code, 0, "{backend}: a clean database\n{}", o.all());
        assert!(o.stdout.contains("labels intact"), "{backend}\n{}", o.all());

        let db = open_db(&data, url).await;
        let first = async |sql: &str| -> i64 { db.fetch_one::<(i64,)>(sql, args![]).await.unwrap().0 };
        let incoming = first("SELECT MIN(incoming_id) FROM incoming_documents").await;
        let outgoing = first("SELECT MAX(outgoing_id) FROM outgoing_documents").await;
        let item = first("SELECT MIN(item_id) FROM archive_items").await;
        db.execute("UPDATE incoming_documents SET classification = 'secret' WHERE incoming_id = $1", args![incoming])
            .await
            .unwrap();
        db.execute("UPDATE outgoing_documents SET secrecy_period = '1年' WHERE outgoing_id = $1", args![outgoing])
            .await
            .unwrap();
        db.execute("UPDATE archive_items SET label_mac = NULL WHERE item_id = $1", args![item]).await.unwrap();
        let o = mishu(&data, url, &["labels", "verify"], &[]);
        assert_eq!(o.code, 1, "{backend}: tampered labels fail\n{}", o.all());
        let named: Vec<&str> = o.stdout.lines().filter(|l| l.starts_with("  ")).map(str::trim).collect();
        assert_eq!(named.len(), 3, "{backend}: exactly the three rows\n{}", o.all());
        assert!(named[0].starts_with(&format!("incoming {incoming}: classification now `secret`")), "{}", o.all());
        assert!(named[1].starts_with(&format!("outgoing {outgoing}:")), "{}", o.all());
        assert!(
            named[2].starts_with(&format!("archive_item {item}:")) && named[2].ends_with("(no MAC)"),
            "{}",
            o.all()
        );
        // A migration does not reseal a cleared MAC: the one-time pass is over.
        let o = mishu(&data, url, &["migrate"], &[]);
        assert_eq!(o.code, 0, "{backend}\n{}", o.all());
        assert_eq!(mishu(&data, url, &["labels", "verify"], &[]).code, 1, "{backend}: still tampered");

        // As a database from before migration 0033: no MACs, the marker there. `migrate` seals
        // every row once, recorded; the audit chain stays whole.
        for t in ["incoming_documents", "outgoing_documents", "archive_items"] {
            db.execute(&format!("UPDATE {t} SET label_mac = NULL"), args![]).await.unwrap();
        }
        db.execute("INSERT INTO settings (key, value, updated_at) VALUES ('labels.unsealed', 'true', 0)", args![])
            .await
            .unwrap();
        let o = mishu(&data, url, &["migrate"], &[]);
        assert_eq!(o.code, 0, "{backend}\n{}", o.all());
        assert!(o.stdout.contains("sealed the security labels of"), "{backend}\n{}", o.all());
        let o = mishu(&data, url, &["labels", "verify"], &[]);
        assert_eq!(o.code, 0, "{backend}: sealed as they now stand\n{}", o.all());
        let sealed = first("SELECT COUNT(*) FROM audit_log WHERE action = 'label.sealed'").await;
        assert_eq!(sealed, 1, "{backend}");
        expect_intact(&data, url, backend, "sealing and verifying are recorded in the chain");
        db.close().await;
    }
}
