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
    skipped: 'Ya está en Mixpeek',
    failed: 'Error',
    canceled: 'Cancelado',
  },
  waiting: 'En espera',
  filesConfirmed: (done, total) => `${done} de ${total} ${s(done, 'confirmado', 'confirmados')}`,
  filesFailed: (failed) => `${failed} ${s(failed, 'fallido', 'fallidos')}`,
  filesSkipped: (skipped, saved) => `${skipped} ya en Mixpeek, ${saved} sin enviar`,
  bytesOf: (done, total) => `${done} de ${total}`,
  speedAndTimeLeft: (speed, left) => `${speed} · tiempo restante: ${left}`,
  phaseUploading: 'Subiendo',
  phaseConfirming: (batch) => `Confirmando el lote ${batch}`,
  phaseProcessing: (tasks) => `Mixpeek está procesando ${tasks} ${s(tasks, 'lote', 'lotes')}`,
  phaseDone: 'Listo',
  phasePaused: 'En pausa',
  offline: 'Sin conexión: esperando a que vuelva la red…',
  problems: (count) => `${count} ${s(count, 'problema', 'problemas')}:`,
  rejected: (code, f) =>
    ({
      'empty-file': `«${f.name}» está vacío (0 bytes); Mixpeek necesita al menos 1 byte.`,
      'too-large': `«${f.name}» ocupa ${f.size}; el límite es ${f.limit}${f.singleUploadLimit ? ', lo máximo que admite una subida' : ''}.`,
      'type-not-accepted': `«${f.name}» no es de un tipo aceptado (${f.accept}).`,
      'too-many-files': `«${f.name}» no se añadió: como máximo ${f.maxFiles} ${s(f.maxFiles, 'archivo', 'archivos')}.`,
      duplicate: `«${f.name}» ya está en la lista o ya se subió; se omite.`,
    })[code],
  errors: {
    'api-error': 'Mixpeek rechazó la solicitud.',
    'network-error': 'Falló la red.',
    'create-failed': 'No se pudo iniciar la subida.',
    'upload-failed': 'Falló el envío al almacenamiento.',
    'hash-failed': 'No se pudo leer el archivo.',
    'confirm-failed': 'No se pudo confirmar la subida.',
    'processing-failed': 'Mixpeek no pudo procesar el archivo.',
    canceled: 'Cancelado.',
    'invalid-options': 'El componente de subida no está bien configurado.',
  },
  addAgain: (count, names) =>
    `${count} ${s(count, 'archivo', 'archivos')} de antes de recargar la página ${s(count, 'debe', 'deben')} añadirse de nuevo: ${names}`,
  announceAdded: (count) => `${count} ${s(count, 'archivo añadido', 'archivos añadidos')}`,
  announceBatch: (batch, count) => `Lote ${batch} con ${count} ${s(count, 'archivo', 'archivos')} enviado para confirmación`,
  announceComplete: (confirmed, failed) =>
    failed
      ? `Subida finalizada: ${confirmed} ${s(confirmed, 'confirmado', 'confirmados')}, ${failed} ${s(failed, 'fallido', 'fallidos')}`
      : `Subida finalizada: ${confirmed} ${s(confirmed, 'confirmado', 'confirmados')}`,
  announceError: (name, message) => `Error en ${name}: ${message}`,
  required: 'Sube al menos un archivo.',
};
