/**
 * The words of the motivation letter (Awb 3:46), per reason code, for policy advisors to read and
 * change. Each reason in a letter is one paragraph: the heading below, the rule's own citizen
 * message, the facts it used, `meaning` (what it means for you) and the source. `next` says what
 * you can do now. Every reason code of the contract and of the rule sets in `rules/` has an entry
 * (a test walks both lists); a code a rule set adds later without an entry gets `FALLBACK`.
 */

export interface ReasonTemplate {
  /** The paragraph's heading. */
  heading: string;
  /** What the reason means for the person the letter is for, after the rule's own message. */
  meaning: string;
  /** What they can do now, if anything. */
  next?: string;
}

export const REASON_TEMPLATES: Record<string, ReasonTemplate> = {
  OUT_OF_SCOPE: {
    heading: 'Deze hulp valt buiten de regionale inkoop',
    meaning:
      'De gemeenten in de regio kopen deze vorm van hulp niet samen in. Daarom kunnen wij deze aanvraag niet via deze regeling toekennen.',
    next: 'Neem contact op met uw gemeente: die vertelt u waar u voor deze hulp wel terechtkunt.',
  },
  REFERRER_NOT_ALLOWED: {
    heading: 'Wie mag naar deze hulp verwijzen',
    meaning: 'Voor deze hulp is een verwijzing nodig van iemand die dat volgens de regionale afspraken mag doen.',
    next: 'Vraag de school of het lokale team van uw gemeente om een verwijzing en dien de aanvraag daarna opnieuw in.',
  },
  AGE_OUT_OF_RANGE: {
    heading: 'Leeftijd',
    meaning:
      'Deze hulp is alleen bedoeld voor kinderen binnen een bepaalde leeftijd. Wij kijken naar de leeftijd op de datum van de aanvraag.',
    next: 'Het lokale team van uw gemeente kan met u bekijken welke andere hulp past.',
  },
  DYSLEXIA_NOT_SEVERE: {
    heading: 'Ernst van de dyslexie',
    meaning:
      'Vergoede dyslexiezorg is er alleen bij ernstige dyslexie. Dat blijkt uit de toetsuitslagen voor lezen en spelling in het schooldossier.',
    next: 'De school kan uw kind verder begeleiden. Bij nieuwe toetsuitslagen kunt u opnieuw een aanvraag doen.',
  },
  DYSLEXIA_NOT_SINGLE: {
    heading: 'Dyslexie zonder andere oorzaak',
    meaning:
      'Vergoede dyslexiezorg is er alleen voor enkelvoudige dyslexie: lees- en spellingsproblemen die niet (mede) door een andere stoornis worden verklaard.',
    next: 'Het lokale team van uw gemeente kan met u bekijken welke hulp wel past bij de situatie van uw kind.',
  },
  DYSLEXIA_DOSSIER_INCOMPLETE: {
    heading: 'Het schooldossier',
    meaning:
      'Volgens het landelijke protocol moet het schooldossier drie meetmomenten bevatten en laten zien dat de school eerst zelf voldoende extra begeleiding heeft gegeven.',
    next: 'Vraag de school het dossier aan te vullen. Daarna kunt u opnieuw een aanvraag doen.',
  },
  DYSLEXIA_DATA_MISSING: {
    heading: 'Gegevens over de dyslexie ontbreken',
    meaning:
      'Bij de aanvraag zitten geen toetsuitslagen of gegevens uit het schooldossier. Zonder die gegevens kunnen wij niet beoordelen of dyslexiezorg past. Wij wijzen de aanvraag daarom niet af, maar geven u de gelegenheid de aanvraag aan te vullen (artikel 4:5 Algemene wet bestuursrecht).',
    next: 'Stuur de toetsuitslagen en het schooldossier alsnog op. Een medewerker neemt daarna een besluit.',
  },
  INTENSITY_NOT_AVAILABLE: {
    heading: 'Profiel en intensiteit',
    meaning: 'Elk profiel kan alleen worden ingezet met de intensiteiten die de regio daarvoor heeft afgesproken.',
    next: 'Vraag de verwijzer om een aanvraag met een passende intensiteit.',
  },
  STACKING_NOT_ALLOWED: {
    heading: 'Al dezelfde hulp in dezelfde periode',
    meaning:
      'Uw kind heeft in (een deel van) dezelfde periode al een toewijzing voor dezelfde hulp. Voor één hulpvraag betaalt de gemeente één tarief tegelijk.',
    next: 'Als de huidige hulp niet meer past, kan de aanbieder met redenen een ander profiel of een andere intensiteit aanvragen bij het lokale team.',
  },
  STACKING_REVIEW: {
    heading: 'Een andere toewijzing in dezelfde periode',
    meaning:
      'Uw kind heeft in dezelfde periode al een toewijzing voor ander hulp. Twee tarieven tegelijk voor dezelfde hulpvraag kan niet; of het om dezelfde hulpvraag gaat, beoordeelt een deskundige medewerker.',
    next: 'U hoeft nu niets te doen. Een medewerker bekijkt de aanvraag en neemt daarna een besluit.',
  },
  STACKING_DURABLE_EXCEPTION: {
    heading: 'Twee vormen van hulp tegelijk: toegestaan',
    meaning:
      'Deze hulp loopt tegelijk met andere hulp. Dat mag, omdat het om duurzame ondersteuning gaat die is afgestemd met het lokale team of de gecertificeerde instelling en in het gezinsplan staat.',
  },
  CRISIS_TOO_LONG: {
    heading: 'Duur van de crisishulp',
    meaning: 'Crisishulp is bedoeld voor een korte periode. Binnen die tijd wordt besloten welke hulp daarna nodig is.',
    next: 'Een medewerker bekijkt de aanvraag en wat er na de crisis nodig is. U hoort daarna van ons.',
  },
  HIGH_COST_REVIEW: {
    heading: 'Extra controle bij hoge kosten',
    meaning:
      'Voor zeer specialistische hulp met een hoge prijs doet de gemeente een extra controle voordat de hulp wordt toegewezen. Dat is een vaste afspraak en zegt niets over uw aanvraag zelf.',
    next: 'U hoeft nu niets te doen. Een medewerker bekijkt de aanvraag en neemt daarna een besluit.',
  },
  INDICATION_TOO_LONG: {
    heading: 'Duur van de toewijzing',
    meaning: 'Dit product kan voor een beperkte periode tegelijk worden toegewezen. De gevraagde periode is langer.',
    next: 'Vraag de verwijzer om een aanvraag voor een kortere periode. Daarna kan een verlenging worden aangevraagd.',
  },
  TARIFF_UNKNOWN: {
    heading: 'Nog geen prijs afgesproken',
    meaning: 'Voor deze combinatie van hulp is in de regionale afspraken nog geen prijs vastgelegd.',
    next: 'U hoeft nu niets te doen. Een medewerker bekijkt de aanvraag en neemt daarna een besluit.',
  },
  UNIT_NOT_ALLOWED: {
    heading: 'Eenheid van de aanvraag',
    meaning:
      'Elk product wordt toegewezen in de eenheid die de regio ervoor heeft afgesproken (bijvoorbeeld uren of dagdelen).',
    next: 'Vraag de verwijzer om de aanvraag in de juiste eenheid opnieuw in te dienen.',
  },
  REGISTRATION_MISSING: {
    heading: 'Registratie van de professionals',
    meaning: 'Aanbieders van jeugdhulp moeten werken met professionals die in het BIG- of SKJ-register staan.',
    next: 'Meld u opnieuw aan zodra de registratie is geregeld.',
  },
  GOVERNANCE_CODE_MISSING: {
    heading: 'Governancecode Zorg',
    meaning: 'Aanbieders in deze regio moeten de Governancecode Zorg volgen.',
    next: 'Meld u opnieuw aan zodra uw organisatie de Governancecode Zorg volgt.',
  },
  ENTRY_MOMENT_CLOSED: {
    heading: 'Moment van toetreden',
    meaning: 'Nieuwe aanbieders kunnen alleen op de vaste toetredingsmomenten van de regio instromen.',
    next: 'Kies een van de toetredingsmomenten als ingangsdatum en meld u opnieuw aan.',
  },
  PRODUCT_GROUP_CLOSED: {
    heading: 'Productgroep gesloten',
    meaning:
      'De gemeente heeft deze productgroep gesloten voor nieuwe aanbieders, omdat er genoeg aanbod is. U hebt niet aangegeven wat u toevoegt aan het bestaande aanbod.',
    next: 'Meld u opnieuw aan en beschrijf wat uw organisatie toevoegt aan het bestaande aanbod; dan beoordeelt een medewerker de aanmelding.',
  },
  ADDED_VALUE_REVIEW: {
    heading: 'Toegevoegde waarde beoordelen',
    meaning:
      'De productgroep is gesloten voor nieuwe aanbieders die geen toegevoegde waarde bieden. U hebt beschreven wat u toevoegt; of dat zo is, beoordeelt een medewerker.',
    next: 'U hoeft nu niets te doen. Een medewerker beoordeelt uw aanmelding en neemt daarna een besluit.',
  },
  TOO_FEW_CLIENTS: {
    heading: 'Aantal cliënten',
    meaning:
      'De gemeente kijkt jaarlijks of aanbieders genoeg cliënten hebben geholpen om de kwaliteit en het overzicht te bewaren.',
    next: 'Een medewerker bespreekt de uitkomst met u.',
  },
  SINGLE_PRODUCT_REGISTRATION: {
    heading: 'Inschrijven voor meer niveaus',
    meaning:
      'De gemeente vraagt aanbieders zich voor meer dan één niveau van een product in te schrijven, zodat hulp binnen dezelfde aanbieder kan worden op- en afgeschaald.',
    next: 'Meld u aan voor meer niveaus of productgroepen.',
  },
};

/** For a reason code a rule set adds without a template of its own. */
export const FALLBACK_TEMPLATE: ReasonTemplate = {
  heading: 'Regel',
  meaning: 'Deze regel uit de regionale afspraken is op uw aanvraag van toepassing.',
};

/** The outcome in one sentence, by outcome. */
export const OUTCOME_SENTENCES = {
  allocation: {
    granted: 'Wij kennen de gevraagde jeugdhulp toe.',
    rejected: 'Wij wijzen uw aanvraag voor jeugdhulp af.',
    review: 'Wij kunnen nog niet over uw aanvraag beslissen: een medewerker bekijkt haar eerst.',
  },
  admission: {
    granted: 'Uw organisatie wordt toegelaten voor de gevraagde productgroep.',
    rejected: 'Wij laten uw organisatie niet toe voor de gevraagde productgroep.',
    review: 'Wij kunnen nog niet over uw aanmelding beslissen: een medewerker bekijkt haar eerst.',
  },
} as const;

/** Awb 6:7 and 6:8: six weeks from the day after the decision was made known; 6:5: what it must hold. */
export const OBJECTION =
  'Bent u het niet eens met dit besluit? Dan kunt u bezwaar maken bij het college van burgemeester en wethouders van de gemeente {gemeente}. Dat moet binnen zes weken na de dag waarop dit besluit aan u is bekendgemaakt (artikel 6:7 en 6:8 Algemene wet bestuursrecht). Zet in uw bezwaarschrift uw naam en adres, de datum, het besluitnummer hieronder en waarom u het er niet mee eens bent, en onderteken het (artikel 6:5 Awb).';

export const OBJECTION_REVIEW =
  'Dit is nog geen besluit op uw aanvraag. Tegen het besluit dat volgt kunt u bezwaar maken bij het college van burgemeester en wethouders van de gemeente {gemeente}, binnen zes weken nadat het aan u is bekendgemaakt (artikel 6:7 en 6:8 Algemene wet bestuursrecht). Neemt de gemeente niet op tijd een besluit, dan kunt u haar daarop aanspreken (artikel 4:17 Awb).';

export const ILLUSTRATIVE_WARNING =
  'Let op: dit besluit rust (mede) op voorlopige waarden. Die staan niet in de regionale afspraken en moeten nog door de regio of de gemeente worden vastgesteld. Een medewerker controleert het besluit voordat het wordt verstuurd.';
