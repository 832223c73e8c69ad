// Package fsstorage is the filesystem implementation of igny8.Storage:
// images, exports and rendered pages kept as plain files, object key k of
// site s at <root>/<s>/<k>.
//
// It keeps the port's promises on a local disk:
//
//   - Safe paths. Keys are checked by ValidateKey (no "..", absolute paths,
//     NUL or control characters, backslashes, Windows device names, empty
//     segments, leading or trailing dots and spaces, over-long keys) and
//     refused with InvalidArgument naming "key"; site ids likewise (field
//     "scope.site_id"). Every operation goes through an os.Root opened on
//     the site's directory, so no path, and no symbolic link planted inside
//     it, can reach a file outside that site. Only regular files are
//     objects: symbolic links are neither listed, read nor deleted.
//   - Tenancy. The first write to a site records its account in a hidden
//     file; another account naming the same site id sees nothing
//     (NotFound).
//   - Atomic writes. Put writes a temporary file in the key's directory,
//     syncs it, and renames it over the key; readers see the old object or
//     the new one, never a part. A failed or cancelled Put leaves nothing.
//   - A quota never overshot. The site's storage quota (the plan's
//     igny8.LimitStorageBytes, through LimitsQuota) is checked before the
//     bytes land: the upload is written with a cap of what the site may
//     still use, then exactly its growth is reserved atomically in the
//     store, then it is renamed into place. Concurrent writers of one site
//     cannot pass the quota together; a shrinking overwrite and Delete give
//     bytes back.
//
// Usage:
//
//	limits := igny8.NewLimits(store, nil)
//	st, err := fsstorage.New("/var/lib/igny8/files", fsstorage.LimitsQuota{Limits: limits}, fsstorage.Options{})
//	if err != nil { ... }
//	defer st.Close()
//	info, err := st.Put(ctx, site.Scope(), "images/featured.png", r, "image/png")
//
// Content types are not stored; ContentTypeOf derives them from the key's
// extension, the same on Put, Get and List.
//
// Known limits: writers of one key are serialized inside one process; two
// processes overwriting the same key at once may each reserve the growth
// over the old size, which overstates the quota counter (never
// understates it). A crash between reserving and renaming leaves the
// reservation held and a ".tmp-" file that is ignored by List and Usage;
// RemoveStaleTemp deletes such files.
package fsstorage
