//! The audit chain's HMAC key: `MISHU_AUDIT_KEY` (hex, every node of a cluster the same),
//! else `audit.key` in the data folder, made on first start and readable by its owner only.

use std::io::Write;
use std::path::Path;

pub fn load_or_create_audit_key(data_dir: &Path, from_env: Option<&str>) -> std::io::Result<Vec<u8>> {
    if let Some(hex_key) = from_env.map(str::trim).filter(|k| !k.is_empty()) {
        let key = hex::decode(hex_key).map_err(|_| invalid("MISHU_AUDIT_KEY: expected hex"))?;
        if key.len() < 32 {
            return Err(invalid("MISHU_AUDIT_KEY: at least 32 bytes (64 hex digits)"));
        }
        return Ok(key);
    }
    let path = data_dir.join("audit.key");
    if path.exists() {
        let text = std::fs::read_to_string(&path)?;
        return hex::decode(text.trim()).map_err(|_| invalid("audit.key: expected hex"));
    }
    std::fs::create_dir_all(data_dir)?;
    let key: [u8; 32] = rand::random();
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(&path)?;
    f.write_all(hex::encode(key).as_bytes())?;
    f.sync_all()?;
    Ok(key.to_vec())
}

fn invalid(msg: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, msg.to_string())
}

/// The seal master key that wraps electronic seals' private keys (SM4, 16 bytes):
/// `MISHU_SEAL_KEY` (hex; every node of a cluster the same), else `seal.key` in the data
/// folder, made on first use and readable by its owner only. It is never in the database, so
/// a copy of the database alone cannot sign.
pub fn load_or_create_seal_key(data_dir: &Path, from_env: Option<&str>) -> std::io::Result<[u8; 16]> {
    let parse = |text: &str, what: &str| -> std::io::Result<[u8; 16]> {
        hex::decode(text.trim())
            .ok()
            .and_then(|k| <[u8; 16]>::try_from(k).ok())
            .ok_or_else(|| invalid(&format!("{what}: expected 32 hex digits (16 bytes)")))
    };
    if let Some(hex_key) = from_env.map(str::trim).filter(|k| !k.is_empty()) {
        return parse(hex_key, "MISHU_SEAL_KEY");
    }
    let path = data_dir.join("seal.key");
    if path.exists() {
        return parse(&std::fs::read_to_string(&path)?, "seal.key");
    }
    std::fs::create_dir_all(data_dir)?;
    let key: [u8; 16] = rand::random();
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(&path)?;
    f.write_all(hex::encode(key).as_bytes())?;
    f.sync_all()?;
    Ok(key)
}
