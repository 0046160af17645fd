import type { UploaderStrings } from '../strings.ts';

const dateien = (n: number) => (n === 1 ? 'Datei' : 'Dateien');

/** German. */
export const de: UploaderStrings = {
  dropHint: 'Dateien oder Ordner hier ablegen, einfügen oder',
  dropZoneLabel: 'Dateien hinzufügen: hier ablegen oder zum Auswählen drücken',
  chooseFiles: 'Dateien auswählen',
  chooseFolder: 'Ordner auswählen',
  upload: 'Hochladen',
  pause: 'Pausieren',
  resume: 'Fortsetzen',
  cancel: 'Abbrechen',
  retryFailed: 'Fehlgeschlagene wiederholen',
  remove: 'Entfernen',
  retry: 'Wiederholen',
  removeFile: (name) => `${name} entfernen`,
  cancelFile: (name) => `${name} abbrechen`,
  retryFile: (name) => `${name} wiederholen`,
  fileList: 'Dateien',
  overallProgress: 'Gesamtfortschritt',
  fileProgress: (name) => `Fortschritt von ${name}`,
  status: {
    queued: 'In Warteschlange',
    creating: 'Wird vorbereitet',
    uploading: 'Wird hochgeladen',
    hashing: 'Wird geprüft',
    uploaded: 'Hochgeladen',
    confirming: 'Wird bestätigt',
    processing: 'Wird verarbeitet',
    done: 'Bestätigt',
    failed: 'Fehlgeschlagen',
    canceled: 'Abgebrochen',
  },
  filesConfirmed: (done, total) => `${done} von ${total} bestätigt`,
  filesFailed: (failed) => `${failed} fehlgeschlagen`,
  bytesOf: (done, total) => `${done} von ${total}`,
  speedAndTimeLeft: (speed, left) => `${speed} · noch ${left}`,
  phaseUploading: 'Wird hochgeladen',
  phaseConfirming: (batch) => `Stapel ${batch} wird bestätigt`,
  phaseProcessing: (tasks) => `Mixpeek verarbeitet ${tasks} Stapel`,
  phaseDone: 'Fertig',
  phasePaused: 'Pausiert',
  offline: 'Offline: Warten auf die Netzwerkverbindung…',
  problems: (count) =>
    count === 1 ? `${count} Datei wurde nicht hinzugefügt:` : `${count} Dateien wurden nicht hinzugefügt:`,
  announceAdded: (count) => `${count} ${dateien(count)} hinzugefügt`,
  announceBatch: (batch, count) => `Stapel ${batch} mit ${count} ${dateien(count)} zur Bestätigung gesendet`,
  announceComplete: (confirmed, failed) =>
    failed
      ? `Upload abgeschlossen: ${confirmed} bestätigt, ${failed} fehlgeschlagen`
      : `Upload abgeschlossen: ${confirmed} bestätigt`,
  announceError: (name, message) => `${name} fehlgeschlagen: ${message}`,
  required: 'Mindestens eine Datei hochladen.',
};
