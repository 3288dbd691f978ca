// Files dropped on the browser, folders walked: [{file, path}] with path relative to the drop.

function entries(reader) {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function fileOf(entry) {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function walk(entry, out) {
  if (entry.isFile) {
    out.push({ file: await fileOf(entry), path: entry.fullPath.replace(/^\/+/, '') });
  } else if (entry.isDirectory) {
    const reader = entry.createReader();
    // readEntries answers in batches until an empty one
    for (let batch = await entries(reader); batch.length; batch = await entries(reader)) {
      for (const e of batch) await walk(e, out);
    }
  }
}

export async function filesFromDrop(dataTransfer) {
  const items = [...(dataTransfer.items || [])].filter((i) => i.kind === 'file');
  const roots = items.map((i) => (i.webkitGetAsEntry ? i.webkitGetAsEntry() : null));
  if (roots.length && roots.every(Boolean)) {
    const out = [];
    for (const r of roots) await walk(r, out);
    return out;
  }
  return [...(dataTransfer.files || [])].map((f) => ({ file: f, path: f.name }));
}
