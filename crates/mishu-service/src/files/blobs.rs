//! Where stored files live and the order that lets them survive a power loss: the bytes
//! fsynced, the file's directory fsynced, and every directory made on the way fsynced into
//! its parent, all before the key is handed back, and so before the row naming it commits.
//! A failed commit leaves an orphan file, which is harmless (nothing points to it).
//!
//! The file system sits behind `Fs` so that a test can put in one that forgets whatever was
//! not synced when the power goes (reliability T2): kill -9 keeps the page cache and cannot
//! see a missing fsync.

use crate::db::DbError;
use crate::{ServiceError, ServiceResult};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

/// A file being written.
pub trait FsFile: Send {
    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()>;
    /// The file's bytes and size on stable storage (fsync). Its name in its directory is
    /// the directory's sync.
    fn sync_all(&mut self) -> io::Result<()>;
}

/// The file-system calls the store makes, and nothing more.
pub trait Fs: Send + Sync {
    /// Makes one directory; `AlreadyExists` when it is there.
    fn create_dir(&self, path: &Path) -> io::Result<()>;
    /// Creates a file that must not exist yet.
    fn create_new(&self, path: &Path) -> io::Result<Box<dyn FsFile>>;
    /// Makes the directory's entries durable (fsync on the directory).
    fn sync_dir(&self, path: &Path) -> io::Result<()>;
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
    fn remove_file(&self, path: &Path) -> io::Result<()>;
}

/// The operating system's file system.
pub struct StdFs;

struct StdFile(std::fs::File);

impl FsFile for StdFile {
    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.0.write_all(bytes)
    }

    fn sync_all(&mut self) -> io::Result<()> {
        self.0.sync_all()
    }
}

impl Fs for StdFs {
    fn create_dir(&self, path: &Path) -> io::Result<()> {
        std::fs::create_dir(path)
    }

    fn create_new(&self, path: &Path) -> io::Result<Box<dyn FsFile>> {
        let f = std::fs::OpenOptions::new().write(true).create_new(true).open(path)?;
        Ok(Box::new(StdFile(f)))
    }

    fn sync_dir(&self, path: &Path) -> io::Result<()> {
        std::fs::File::open(path)?.sync_all()
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        std::fs::read(path)
    }

    fn remove_file(&self, path: &Path) -> io::Result<()> {
        std::fs::remove_file(path)
    }
}

/// Where a stored file lives: two levels of directories from the key's first characters.
pub fn path_of(data_dir: &Path, key: &str) -> Option<PathBuf> {
    let ok = key.len() == 32 && key.bytes().all(|b| b.is_ascii_hexdigit());
    ok.then(|| data_dir.join("files").join(&key[0..2]).join(&key[2..4]).join(key))
}

/// The directories this process has seen durable in their parents (`files`, its 256 first
/// levels and 65,536 second levels, as bits), so each costs one directory sync per process,
/// not one per file.
struct KnownDirs {
    top: bool,
    bits: Vec<u64>,
}

#[derive(Clone, Copy)]
enum Level {
    Top,
    First(usize),
    Second(usize),
}

impl KnownDirs {
    fn new() -> KnownDirs {
        KnownDirs { top: false, bits: vec![0; (256 + 65_536) / 64] }
    }

    fn bit(level: Level) -> Option<usize> {
        match level {
            Level::Top => None,
            Level::First(a) => Some(a),
            Level::Second(ab) => Some(256 + ab),
        }
    }

    fn has(&self, level: Level) -> bool {
        Self::bit(level).map_or(self.top, |b| self.bits[b / 64] & (1 << (b % 64)) != 0)
    }

    fn insert(&mut self, level: Level) {
        match Self::bit(level) {
            None => self.top = true,
            Some(b) => self.bits[b / 64] |= 1 << (b % 64),
        }
    }
}

/// The stored files of one data folder.
#[derive(Clone)]
pub struct Blobs {
    root: PathBuf,
    fs: Arc<dyn Fs>,
    known: Arc<Mutex<KnownDirs>>,
}

impl std::fmt::Debug for Blobs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Blobs({})", self.root.display())
    }
}

fn io(e: io::Error) -> ServiceError {
    ServiceError::Db(DbError::Files(e))
}

fn hex_at(key: &str, at: usize) -> usize {
    usize::from_str_radix(&key[at..at + 2], 16).expect("keys are checked hex")
}

impl Blobs {
    /// Files under `<data_dir>/files/` on the real file system.
    pub fn on_disk(data_dir: PathBuf) -> Blobs {
        Blobs::with_fs(data_dir, Arc::new(StdFs))
    }

    pub fn with_fs(data_dir: PathBuf, fs: Arc<dyn Fs>) -> Blobs {
        Blobs { root: data_dir, fs, known: Arc::new(Mutex::new(KnownDirs::new())) }
    }

    /// Writes the bytes under a new random key and makes them durable before returning it.
    /// A failed write or sync is an error for this request, never retried: after a failed
    /// fsync the kernel may have dropped the pages, and a second fsync would report success.
    pub async fn store(&self, bytes: Vec<u8>) -> ServiceResult<String> {
        let key = hex::encode(rand::random::<[u8; 16]>());
        let (this, k) = (self.clone(), key.clone());
        tokio::task::spawn_blocking(move || this.put(&k, &bytes))
            .await
            .map_err(|e| io(io::Error::other(e)))?
            .map_err(io)?;
        Ok(key)
    }

    fn put(&self, key: &str, bytes: &[u8]) -> io::Result<()> {
        let path = path_of(&self.root, key).expect("a fresh key is well formed");
        self.make_dirs(key)?;
        let mut f = self.fs.create_new(&path)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        self.fs.sync_dir(path.parent().expect("stored files have a directory"))
    }

    /// The key's directories, each durable in its parent. A directory found already there
    /// is synced into its parent all the same: another request may have made it a moment
    /// ago and not synced it yet.
    fn make_dirs(&self, key: &str) -> io::Result<()> {
        let top = self.root.join("files");
        let first = top.join(&key[0..2]);
        let second = first.join(&key[2..4]);
        let (a, b) = (hex_at(key, 0), hex_at(key, 2));
        let known = || self.known.lock().unwrap_or_else(PoisonError::into_inner);
        for (dir, level) in [(&top, Level::Top), (&first, Level::First(a)), (&second, Level::Second(a * 256 + b))] {
            if known().has(level) {
                continue;
            }
            match self.fs.create_dir(dir) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(e),
            }
            self.fs.sync_dir(dir.parent().expect("under the data folder"))?;
            known().insert(level);
        }
        Ok(())
    }

    /// Reads a stored file back.
    pub async fn read(&self, key: &str) -> ServiceResult<Vec<u8>> {
        let path = path_of(&self.root, key).ok_or(ServiceError::NotFound)?;
        let fs = self.fs.clone();
        tokio::task::spawn_blocking(move || fs.read(&path)).await.map_err(|e| io(io::Error::other(e)))?.map_err(io)
    }

    /// Deletes a stored file (an archived item's copy after its approved destruction), with
    /// its directory synced so the file does not come back after a power loss. A file
    /// already gone is not an error: the destruction record is what counts.
    pub async fn remove(&self, key: &str) -> ServiceResult<()> {
        let path = path_of(&self.root, key).ok_or(ServiceError::NotFound)?;
        let fs = self.fs.clone();
        tokio::task::spawn_blocking(move || -> io::Result<()> {
            match fs.remove_file(&path) {
                Ok(()) => fs.sync_dir(path.parent().expect("stored files have a directory")),
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(e),
            }
        })
        .await
        .map_err(|e| io(io::Error::other(e)))?
        .map_err(io)
    }
}
