//! The one way dmsplan writes files: a temp file beside the target, then a rename, so a
//! reader never sees half a file; an existing file is replaced only when asked. A new plan
//! directory can be written the same way as a whole: its files in a temp directory beside
//! it, then one rename.

use std::fs;
use std::io::Write;
use std::path::Path;

use crate::error::Error;

/// Whether an existing file may be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overwrite {
    /// Refuse when the file exists.
    Never,
    /// Replace it.
    Allowed,
}

/// Refuse early when `path` exists and may not be replaced (before any file is written).
pub fn ensure_writable(path: &Path, overwrite: Overwrite) -> Result<(), Error> {
    if overwrite == Overwrite::Never && path.exists() {
        return Err(Error::Exists {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// Write `text` to `path` atomically, creating parent directories.
pub fn write_atomic(path: &Path, text: &str, overwrite: Overwrite) -> Result<(), Error> {
    ensure_writable(path, overwrite)?;
    let err = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir).map_err(err)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.flush()?;
        drop(f);
        if overwrite == Overwrite::Never {
            // Link-then-unlink refuses to replace a file that appeared meanwhile.
            fs::hard_link(&tmp, path).or_else(|e| {
                if e.kind() == std::io::ErrorKind::AlreadyExists {
                    Err(e)
                } else {
                    fs::rename(&tmp, path)
                }
            })?;
            let _ = fs::remove_file(&tmp);
            Ok(())
        } else {
            fs::rename(&tmp, path)
        }
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            return Err(Error::Exists {
                path: path.to_path_buf(),
            });
        }
        return Err(err(e));
    }
    Ok(())
}

/// What [`create_dir_atomic`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewDir {
    /// The directory did not exist and now holds every file.
    Created,
    /// Something is already at the directory's path (or its temp directory's): nothing was
    /// written, and the caller writes the files one by one with [`write_atomic`].
    Occupied,
}

/// Create the directory `dir` holding `files` (name, text), all at once: the files are
/// written into a fresh temp directory beside it, `.<name>.<pid>.tmp`, which is then renamed
/// to `dir`. A reader sees no directory or the whole of it, never half a file; and since a
/// rename onto a directory that holds anything fails, nothing of anyone's is overwritten.
///
/// Cheaper than [`write_atomic`] per file (one directory check and one rename instead of
/// checks, links and unlinks per file), which matters for `batch`'s thousands of plans. The
/// parent of `dir` must exist. No fsync: like `write_atomic`, this guards against readers,
/// not against power loss. On an error the temp directory is removed.
pub fn create_dir_atomic(dir: &Path, files: &[(&str, String)]) -> Result<NewDir, Error> {
    match fs::symlink_metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        _ => return Ok(NewDir::Occupied),
    }
    let (Some(parent), Some(name)) = (dir.parent(), dir.file_name()) else {
        return Ok(NewDir::Occupied);
    };
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = parent.join(tmp_name);
    match fs::create_dir(&tmp) {
        Ok(()) => {}
        // Left by a process that had our id and was killed: not ours to remove.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(NewDir::Occupied),
        Err(source) => {
            return Err(Error::Write {
                path: dir.to_path_buf(),
                source,
            });
        }
    }
    let guard = TempDir(&tmp);
    for (file, text) in files {
        fs::write(tmp.join(file), text).map_err(|source| Error::Write {
            path: dir.join(file),
            source,
        })?;
    }
    match fs::rename(&tmp, dir) {
        Ok(()) => {
            std::mem::forget(guard);
            Ok(NewDir::Created)
        }
        // Something appeared at `dir` since the check: leave it be (the guard removes ours).
        Err(_) if fs::symlink_metadata(dir).is_ok() => Ok(NewDir::Occupied),
        Err(source) => Err(Error::Write {
            path: dir.to_path_buf(),
            source,
        }),
    }
}

/// A temp directory removed with everything in it when dropped: on an error, and on a panic.
struct TempDir<'a>(&'a Path);

impl Drop for TempDir<'_> {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_atomically_and_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/plan.json");
        write_atomic(&path, "one", Overwrite::Never).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "one");
        let err = write_atomic(&path, "two", Overwrite::Never).unwrap_err();
        assert!(matches!(err, Error::Exists { .. }));
        assert_eq!(fs::read_to_string(&path).unwrap(), "one");
        write_atomic(&path, "two", Overwrite::Allowed).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "two");
        let leftovers: Vec<_> = fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temp files left behind");
    }

    fn five() -> Vec<(&'static str, String)> {
        ["plan.json", "runbook.md", "a.json", "b.json", "c.yaml"]
            .iter()
            .map(|n| (*n, format!("{n} text")))
            .collect()
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_new_directory_appears_whole_and_no_temp_directory_is_left() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("billing-db");
        assert_eq!(create_dir_atomic(&dir, &five()).unwrap(), NewDir::Created);
        assert_eq!(
            names(&dir),
            ["a.json", "b.json", "c.yaml", "plan.json", "runbook.md"]
        );
        assert_eq!(
            fs::read_to_string(dir.join("c.yaml")).unwrap(),
            "c.yaml text"
        );
        assert_eq!(names(root.path()), ["billing-db"]);
    }

    #[test]
    fn an_existing_directory_or_file_is_left_alone() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("crm");
        fs::create_dir(&dir).unwrap();
        fs::write(dir.join("plan.json"), "mine").unwrap();
        assert_eq!(create_dir_atomic(&dir, &five()).unwrap(), NewDir::Occupied);
        assert_eq!(names(&dir), ["plan.json"]);
        assert_eq!(fs::read_to_string(dir.join("plan.json")).unwrap(), "mine");
        let file = root.path().join("notes");
        fs::write(&file, "mine").unwrap();
        assert_eq!(create_dir_atomic(&file, &five()).unwrap(), NewDir::Occupied);
        assert_eq!(fs::read_to_string(&file).unwrap(), "mine");
        assert_eq!(names(root.path()), ["crm", "notes"]);
    }

    #[test]
    fn a_failed_write_removes_the_temp_directory() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("crm");
        // A file name with a directory in it cannot be written into the fresh temp directory.
        let files = vec![("plan.json", "x".to_string()), ("no/such.md", "y".into())];
        let err = create_dir_atomic(&dir, &files).unwrap_err();
        assert!(
            matches!(&err, Error::Write { path, .. } if path.ends_with("crm/no/such.md")),
            "{err:?}"
        );
        assert!(names(root.path()).is_empty(), "{:?}", names(root.path()));
    }

    #[test]
    fn a_missing_parent_is_an_error_naming_the_directory() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("no/crm");
        let err = create_dir_atomic(&dir, &five()).unwrap_err();
        assert!(
            matches!(&err, Error::Write { path, .. } if path == &dir),
            "{err:?}"
        );
        assert!(names(root.path()).is_empty());
    }

    #[test]
    fn a_stale_temp_directory_is_left_alone() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("crm");
        let stale = root.path().join(format!(".crm.{}.tmp", std::process::id()));
        fs::create_dir(&stale).unwrap();
        fs::write(stale.join("plan.json"), "stale").unwrap();
        assert_eq!(create_dir_atomic(&dir, &five()).unwrap(), NewDir::Occupied);
        assert!(!dir.exists());
        assert_eq!(
            fs::read_to_string(stale.join("plan.json")).unwrap(),
            "stale"
        );
    }
}
