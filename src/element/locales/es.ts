import type { UploaderStrings } from '../strings.ts';

const s = (n: number, singular: string, plural: string) => (n === 1 ? singular : plural);

/** Spanish (neutral). */
export const es: UploaderStrings = {
  dropHint: 'Arrastra archivos o carpetas aquí, pégalos o',
  dropZoneLabel: 'Añadir archivos: arrástralos aquí o pulsa para seleccionarlos',
  chooseFiles: 'Seleccionar archivos',
  chooseFolder: 'Seleccionar una carpeta',
  upload: 'Subir',
  pause: 'Pausar',
  resume: 'Reanudar',
  cancel: 'Cancelar',
  retryFailed: 'Reintentar fallidos',
  remove: 'Quitar',
  retry: 'Reintentar',
  removeFile: (name) => `Quitar ${name}`,
  cancelFile: (name) => `Cancelar ${name}`,
  retryFile: (name) => `Reintentar ${name}`,
  fileList: 'Archivos',
  overallProgress: 'Progreso total',
  fileProgress: (name) => `Progreso de ${name}`,
  status: {
    queued: 'En cola',
    creating: 'Preparando',
    uploading: 'Subiendo',
    hashing: 'Verificando',
    uploaded: 'Subido',
    confirming: 'Confirmando',
    processing: 'Procesando',
    done: 'Confirmado',
    failed: 'Error',
    canceled: 'Cancelado',
  },
  filesConfirmed: (done, total) => `${done} de ${total} ${s(done, 'confirmado', 'confirmados')}`,
  filesFailed: (failed) => `${failed} ${s(failed, 'fallido', 'fallidos')}`,
  bytesOf: (done, total) => `${done} de ${total}`,
  speedAndTimeLeft: (speed, left) => `${speed} · tiempo restante: ${left}`,
  phaseUploading: 'Subiendo',
  phaseConfirming: (batch) => `Confirmando el lote ${batch}`,
  phaseProcessing: (tasks) => `Mixpeek está procesando ${tasks} ${s(tasks, 'lote', 'lotes')}`,
  phaseDone: 'Listo',
  phasePaused: 'En pausa',
  offline: 'Sin conexión: esperando a que vuelva la red…',
  problems: (count) =>
    count === 1 ? `No se añadió ${count} archivo:` : `No se añadieron ${count} archivos:`,
  announceAdded: (count) => `${count} ${s(count, 'archivo añadido', 'archivos añadidos')}`,
  announceBatch: (batch, count) =>
    `Lote ${batch} con ${count} ${s(count, 'archivo', 'archivos')} enviado para confirmación`,
  announceComplete: (confirmed, failed) =>
    failed
      ? `Subida finalizada: ${confirmed} ${s(confirmed, 'confirmado', 'confirmados')}, ${failed} ${s(failed, 'fallido', 'fallidos')}`
      : `Subida finalizada: ${confirmed} ${s(confirmed, 'confirmado', 'confirmados')}`,
  announceError: (name, message) => `Error en ${name}: ${message}`,
  required: 'Sube al menos un archivo.',
};
