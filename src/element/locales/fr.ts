import type { UploaderStrings } from '../strings.ts';

/** French treats 0 and 1 as singular. */
const s = (n: number, singular: string, plural: string) => (n <= 1 ? singular : plural);
/** Non-breaking space before ":" (French typography). */
const nbsp = '\u00A0';

/** French. */
export const fr: UploaderStrings = {
  dropHint: 'Déposez des fichiers ou des dossiers ici, collez-les ou',
  dropZoneLabel: `Ajouter des fichiers${nbsp}: déposez-les ici ou appuyez pour les choisir`,
  chooseFiles: 'Choisir des fichiers',
  chooseFolder: 'Choisir un dossier',
  upload: 'Envoyer',
  pause: 'Pause',
  resume: 'Reprendre',
  cancel: 'Annuler',
  retryFailed: 'Relancer les échecs',
  remove: 'Retirer',
  retry: 'Réessayer',
  removeFile: (name) => `Retirer ${name}`,
  cancelFile: (name) => `Annuler ${name}`,
  retryFile: (name) => `Réessayer ${name}`,
  fileList: 'Fichiers',
  overallProgress: 'Progression globale',
  fileProgress: (name) => `Progression de ${name}`,
  status: {
    queued: 'En attente',
    creating: 'Préparation',
    uploading: 'Envoi',
    hashing: 'Vérification',
    uploaded: 'Envoyé',
    confirming: 'Confirmation',
    processing: 'Traitement',
    done: 'Confirmé',
    failed: 'Échec',
    canceled: 'Annulé',
  },
  waiting: 'En attente',
  filesConfirmed: (done, total) => `${done} sur ${total} ${s(done, 'confirmé', 'confirmés')}`,
  filesFailed: (failed) => `${failed} ${s(failed, 'échec', 'échecs')}`,
  bytesOf: (done, total) => `${done} sur ${total}`,
  speedAndTimeLeft: (speed, left) => `${speed} · temps restant${nbsp}: ${left}`,
  phaseUploading: 'Envoi en cours',
  phaseConfirming: (batch) => `Confirmation du lot ${batch}`,
  phaseProcessing: (tasks) => `Mixpeek traite ${tasks} ${s(tasks, 'lot', 'lots')}`,
  phaseDone: 'Terminé',
  phasePaused: 'En pause',
  offline: `Hors ligne${nbsp}: en attente du réseau…`,
  problems: (count) => `${count} ${s(count, 'problème', 'problèmes')}${nbsp}:`,
  rejected: (code, f) =>
    ({
      'empty-file': `«${nbsp}${f.name}${nbsp}» est vide (0 octet)${nbsp}; Mixpeek exige au moins 1 octet.`,
      'too-large': `«${nbsp}${f.name}${nbsp}» pèse ${f.size}${nbsp}; la limite est de ${f.limit}${f.singleUploadLimit ? ', le maximum d’un envoi' : ''}.`,
      'type-not-accepted': `«${nbsp}${f.name}${nbsp}» n’est pas d’un type accepté (${f.accept}).`,
      'too-many-files': `«${nbsp}${f.name}${nbsp}» n’a pas été ajouté${nbsp}: ${f.maxFiles} ${s(f.maxFiles, 'fichier', 'fichiers')} au plus.`,
      duplicate: `«${nbsp}${f.name}${nbsp}» est déjà dans la liste ou déjà envoyé${nbsp}; ignoré.`,
    })[code],
  errors: {
    'api-error': 'Mixpeek a refusé la requête.',
    'network-error': 'Le réseau a échoué.',
    'create-failed': 'L’envoi n’a pas pu commencer.',
    'upload-failed': 'L’envoi vers le stockage a échoué.',
    'hash-failed': 'Le fichier n’a pas pu être lu.',
    'confirm-failed': 'L’envoi n’a pas pu être confirmé.',
    'processing-failed': 'Mixpeek n’a pas pu traiter le fichier.',
    canceled: 'Annulé.',
    'invalid-options': 'Le composant d’envoi est mal configuré.',
  },
  addAgain: (count, names) =>
    `${count} ${s(count, 'fichier', 'fichiers')} d’avant le rechargement de la page ${s(count, 'doit', 'doivent')} être ${s(count, 'ajouté', 'ajoutés')} à nouveau${nbsp}: ${names}`,
  announceAdded: (count) => `${count} ${s(count, 'fichier ajouté', 'fichiers ajoutés')}`,
  announceBatch: (batch, count) => `Lot ${batch} de ${count} ${s(count, 'fichier', 'fichiers')} envoyé pour confirmation`,
  announceComplete: (confirmed, failed, canceled = 0) =>
    `Envoi terminé : ${confirmed} confirmé${confirmed === 1 ? '' : 's'}${failed ? `, ${failed} en échec` : ''}${canceled ? `, ${canceled} annulé${canceled === 1 ? '' : 's'}` : ''}`,
  announceError: (name, message) => `Échec de ${name}${nbsp}: ${message}`,
  required: 'Envoyez au moins un fichier.',
  dropTitle: 'Déposez des fichiers ou des dossiers ici',
  pickTitle: 'Ajouter des fichiers',
  dropOr: 'ou',
  acceptsTypes: (types) => `Accepte ${types}`,
  sizeLimit: (size) => `jusqu’à ${size} chacun`,
  countLimit: (count) => `au plus ${count} ${count === 1 ? 'fichier' : 'fichiers'}`,
  fileCount: (count) => `${count} ${count === 1 ? 'fichier' : 'fichiers'}`,
  clear: 'Vider la liste',
  retryCanceled: 'Envoyer les fichiers annulés',
  filesCanceled: (canceled) => `${canceled} ${canceled === 1 ? 'annulé' : 'annulés'}`,
  removeDone: (name) => `Retirer ${name} (reste dans Mixpeek)`,
  setup: {
    'api-unreachable': {
      title: 'Le service d’envoi est injoignable.',
      check: 'Vérifiez api-url, le serveur et ses règles CORS.',
    },
    'storage-cors': {
      title: 'Le stockage refuse les envois depuis cette page.',
      check: 'Vérifiez le CORS du bucket de stockage : autoriser PUT depuis cette origine, exposer ETag.',
    },
    unauthorized: {
      title: 'Le service d’envoi refuse l’accès.',
      check: 'Vérifiez la clé d’API ou la session de la passerelle (getHeaders).',
    },
    'not-found': {
      title: 'Le bucket ou l’espace de noms est introuvable.',
      check: 'Vérifiez bucket et namespace.',
    },
  },
  setupFiles: (count) => (count === 1 ? '1 fichier n’a pas été envoyé.' : `${count} fichiers n’ont pas été envoyés.`),
  reasons: {
    'content-mismatch': 'Le fichier stocké diffère de celui envoyé. Réessayez.',
    'size-mismatch': 'Le fichier stocké n’a pas la taille de celui envoyé. Réessayez.',
  },
  typeGroups: { image: 'images', video: 'vidéos', audio: 'audio', text: 'fichiers texte' },
  resending: 'Renvoi depuis le début',
};
