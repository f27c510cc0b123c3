"""Rule extraction of direct and indirect quotations for any language with a cue lexicon.

Used for German and Russian (no trained model) and for English when the trained
taggers are missing. Direct quotes are the quoted regions of `marks.py` that sit
next to a cue verb or follow an introducing colon; indirect quotes are clauses
opened by a cue verb plus complementiser ("erklärte, dass", "заявил, что",
"said that") or by an "according to" phrase. The speaker is the named entity (or
pronoun / role phrase) nearest the cue in the same sentence; `speakers.py` then
resolves pronouns and roles to a named person.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from echolot.quotes.lexicon import (
    ACCORDING,
    ACCUSING_VERBS,
    CLAIM_AGENT,
    CHARGE_VERBS,
    CLAIM_COMPLEMENT,
    COMPLEMENTISER,
    IMPERSONAL_CUES,
    NOUN_CLAIMS,
    ORG_ROLE_NOUNS,
    PERSON_NOUNS,
    PRONOUNS,
    ROLE_NOUNS,
    SOURCE_NOUNS,
    SPEECH_VERBS,
    charge_link_ok,
    compile_person_roles,
    compile_words,
    other_person_phrase,
)
from echolot.quotes.marks import QuoteRegion, find_quote_regions, open_incises, top_level
from echolot.quotes.spans import Attribution, Span, trim
from echolot.text.sentences import split_sentences

NamedSpan = tuple[int, int, str]  # (start, end, type) from NER
_MIN_WORDS_UNCUED = 6  # a quote without a cue must look like a statement, not a scare quote
_WORD = re.compile(r"\w+")
# "sagte Blinken", "erklärte das Außenministerium", "заявил Песков": a capitalised run after the cue
# capital letters: Latin with German and French ones, Cyrillic with the Ukrainian, Belarusian and Kazakh ones
# ("Єрмак", "Ірина", "Ўладзімір", "Әлихан"), Polish ("Łukasz", "Świątek")
_UPPER = "A-ZÄÖÜÉА-ЯЁЄІЇҐЎŁŚŻŹĆŃÓӘҒҚҢӨҰҮҺ"
_INVERTED_NAME = re.compile(
    r"\s+((?:(?:der|die|das|the|le|la|les|el|los|las)\s+(?:[a-zäöüéèàа-яё][\w-]*\s+){0,2})?"
    rf"(?:@\w+|[{_UPPER}][\w-]+(?:\s+[{_UPPER}][\w-]+){{0,3}}))")  # "@belzhd_live": an account
# "…“, so das Außenministerium." / "Stattdessen, so Almaty, würden …": German's "so X" names the source
_SO_SOURCE = re.compile(
    r",\s+(?P<cue>so)\s+(?P<source>(?:(?:der|die|das|den|dem|des)\s+(?:[a-zäöü][\w-]*\s+){0,2})?[A-ZÄÖÜ][\w-]+"
    r"(?:\s+[A-ZÄÖÜ][\w-]+){0,3})\s*(?P<end>[,.;!?]|$)")
# "heißt es auf der Seite des russischen Außenministeriums", "hieß es aus dem Kreml", "heißt es in der Erklärung"
_HEISST_ES = re.compile(
    r"\s+es(?:\s+(?:weiter|zudem|außerdem|ferner|dort))?"
    r"(?:\s+((?:auf\s+der\s+(?:Web)?[Ss]eite|aus|in|im|von|vom|seitens|vonseiten|bei|beim)\s+[^,.;:!?\"“”„«»]{2,80}))?")
# "about this" / "this" opening a sentence before its cue: what was said is the sentence before
_SAID_BEFORE = {lang: re.compile(rf"\s*(?:{p})\s+", re.IGNORECASE) for lang, p in {
    "ru": r"об\s+этом|это", "uk": r"про\s+це|це", "be": r"пра\s+гэта|гэта", "bg": r"за\s+това|това",
    "de": r"das|dies", "it": r"lo", "es": r"lo"}.items()}
# "as" right before a quotation: what someone called something ("охарактеризовал как "оторванную от реальности"",
# "bezeichnete es als „…“"), a phrase of that clause, never the speaker before going on
_AS_A_NAME = re.compile(r"(?<!\w)(?:как|як|като|jako|als|comme|come|como|as)\s*$", re.IGNORECASE)
# the document after an impersonal Russian or Ukrainian cue: "говорится в сообщении МИД России", "йдеться у заяві"
_IN_DOCUMENT = re.compile(r"\s+(?:в|во|у)\s+([^,.;:!?\"“”„«»()\n]{2,80})")
# the topic before a German verb in second position is often a time adverbial, not the subject
_TIME_TOPIC = re.compile(
    r"^(?:(?:an\s+)?diese[nmr]?|letzte[nmr]?|vergangene[nmr]?|am|im|in\s+der|zuvor|später|zuletzt|damals|"
    r"gestern|heute|morgen|anfang|ende|mitte)\b.*(?:monat|woche|jahr|tag|montag|dienstag|mittwoch|donnerstag|"
    r"freitag|samstag|sonntag|abend|morgen|januar|februar|märz|april|mai|juni|juli|august|september|oktober|"
    r"november|dezember|zuvor|später|zuletzt|damals|gestern|heute)\w*$", re.IGNORECASE)
_FR_AUX = r"a|ont|avait|avaient"  # French auxiliaries of a past cue ("a déclaré")
# the auxiliary of a French incise, with or without its inverted clitic: ", a-t-il [déclaré]"
_FR_INCISE_AUX = re.compile(rf",\s*(?:{_FR_AUX})(?:-t-(?:il|elle|on)|-(?:ils|elles))?\s+$", re.IGNORECASE)
_FR_CLITIC = re.compile(r"-(?:t-)?(il|elle|ils|elles|on)\s+$", re.IGNORECASE)
_COORDINATED = re.compile(r"\b(?:und|and|и|sowie|aber|doch|but|но|а|mais|et|pero|y)\s*$", re.IGNORECASE)
# verbs that take a bare comma clause as reported speech ("sagte, die USA würden ...")
_COMMA_VERBS = {
    "de": re.compile(r"(?:ge)?sag\w*|erklär\w*|betont\w*|behaupt\w*|meint\w*|schr(?:ieb|eibt)\w*|warnt\w*|"
                     r"versicher\w*|bekräftig\w*|unterstrich\w*|bestätigt\w*|glaubt\w*|fügte|antwortet\w*|"
                     r"ergänzt\w*|teilt\w*|mahnt\w*|kündigt\w*|zitiert\w*"),
    "ru": re.compile(r"заяв\w*|сказа\w*|сообщ\w*|отмет\w*|подчеркн\w*|добав\w*|поясн\w*|утвержда\w*|"
                     r"счита\w*|написа\w*|предупред\w*|завер\w*|уточн\w*|напомн\w*|говор\w*"),
    # "…, — заявив Зеленський", "…, повідомляє Укрінформ", "…, пише видання"
    # not "говорить" (talks: "говорить не стільки з ..., скільки з ...") without "що"
    "uk": re.compile(r"заяв\w*|сказа\w*|ка(?:же|жуть|зав|зала|зали)|повідом\w*|наголо\w*|дода\w*|зазнач\w*|"
                     r"підкресл\w*|поясн\w*|вважа\w*|стверджу\w*|написа\w*|пиш\w*|поперед\w*|запевн\w*|"
                     r"уточн\w*|нагада\w*|переда\w*"),
    "be": re.compile(r"заяв\w*|заяўля\w*|сказа\w*|ка(?:жа|жуць)|паведам\w*|адзнач\w*|падкрэсл\w*|дада\w*|"
                     r"растлумач\w*|ліч\w*|сцвярджа\w*|напіса\w*|піш\w*|папярэдз\w*|нагада\w*|перада\w*"),
    "pl": re.compile(r"powiedzia\w*|mówi\w*|oświadcz\w*|stwierdz\w*|podkreśl\w*|doda\w*|zaznacz\w*|wyjaśni\w*|"
                     r"uważ\w*|twierdz\w*|napisa\w*|pisz\w*|przekaza\w*|poinformowa\w*|informuj\w*|ostrzeg\w*|"
                     r"zapewni\w*|przypomnia\w*|ocenia?\w*|zauważy\w*|przekonywa\w*"),
    # "…», каза той", "…, заключи Фарадж", "…, счита унгарският премиер"
    "bg": re.compile(r"заяв\w*|каза\w*|съобщ\w*|отбеляз\w*|подчерта\w*|добави\w*|допълни|обясни\w*|"
                     r"написа\w*|пише|пишат|посочи\w*|предупреди\w*|увери|уточни|напомни|твърд\w*|смята\w*|"
                     r"счита\w*|заключи|коментира"),
}
_COMMA_CLAUSE = re.compile(
    r"(?:\s+[^\s,.;:!?\"“”„«»]+){0,5}?\s*(,)\s*(?!(?:und|and|и|а|но|welche[rs]?|который|которая|которые|wie|как)\b)\w")
# Ukrainian, Belarusian and Polish report speech as Russian does: a comma clause before an inverted subject
# ("…, — заявив Зеленський", "…, – powiedział premier"), an agency right after the cue as who was told, the
# charge frame ("звинуватив X у …", "oskarżył X o …"), a dropped subject; they run the Russian rules with the
# words of their own language below (the Russian and every other language's rules keep their own words)
_RUSSIAN_LIKE = {"uk", "be", "pl", "bg"}
# Portuguese and Italian report speech as Spanish does ("…», disse X", "…, ha dichiarato il ministro", "segundo X"):
# the Spanish rules with their own words (eighth pass; before, both fell back to the English cue lexicon)
_SPANISH_LIKE = {"pt", "it"}
_COORDINATORS = {"uk": r"і|й|та|але|а", "be": r"і|ды|але|а", "pl": r"i|oraz|ale|a", "bg": r"и|но|а"}
# words that open no new statement after a cue's comma: the coordinators, relative pronouns, "as"
_NOT_A_CLAUSE = {lang: f"{_COORDINATORS[lang]}|{words}" for lang, words in {
    "uk": r"який|яка|яке|які|якого|якої|як",
    "be": r"які|якая|якое|якія|якога|як",
    "pl": r"który|która|które|którzy|którego|której|jaki|jaka|jakie|jacy|jak",
    "bg": r"който|която|което|които|как",
}.items()}
_ADJUNCT_WORDS = {"uk": r"в|у|на|під|після|перед|під\s+час", "be": r"ў|у|на|пасля|перад|падчас",
                  "pl": r"w|we|na|po|przed|podczas|dla", "bg": r"в|във|на|след|преди|по\s+време\s+на"}
_PREPOSITIONS = {
    "uk": {"в", "у", "на", "по", "з", "із", "зі", "про", "для", "за", "після", "перед", "до", "від", "о", "під"},
    "be": {"ў", "у", "на", "па", "з", "са", "пра", "для", "за", "пасля", "перад", "да", "ад", "аб", "пад"},
    "pl": {"w", "we", "na", "po", "z", "ze", "o", "dla", "za", "przed", "do", "od", "u", "pod", "podczas"},
    "bg": {"в", "във", "на", "по", "с", "със", "за", "от", "до", "при", "след", "преди", "под", "към"},
}
_NOT_A_SUBJECT_MORE = {"uk": {"що", "якщо", "про", "щодо"}, "be": {"што", "калі", "пра"},
                       "pl": {"że", "jeśli", "jeżeli", "o"}, "bg": {"че", "ако", "за", "се"}}
_SUBORDINATORS_MORE = {"uk": {"коли", "хоча", "оскільки", "поки", "якщо", "бо", "адже", "щоб"},
                       "be": {"калі", "хоць", "паколькі", "пакуль", "бо", "каб"},
                       "pl": {"gdy", "kiedy", "chociaż", "ponieważ", "jeśli", "jeżeli", "bo", "żeby"},
                       "bg": {"когато", "въпреки", "защото", "ако", "докато", "за да"}}
# what may stand between the statement and its cue: a comma (Russian: ", заявил Лавров"); the other
# Russian-like languages also set a dash there without quotation marks (", — заявив він", "– powiedział")
_BEFORE_CUE = re.compile(r",\s*$")
# "about this" opening a clause: "Про це він сказав в інтерв'ю AP, …", "Jak podała PAP, o tym poinformował …":
# what was said is in an earlier sentence, the clause only says where and to whom
_ABOUT_THIS = {"uk": re.compile(r"(?:про|щодо)\s+(?:це|цього)(?!\w)", re.IGNORECASE),
               "ru": re.compile(r"(?:об|про)\s+(?:этом|это)(?!\w)", re.IGNORECASE),
               "be": re.compile(r"(?:пра|аб)\s+гэта(?!\w)", re.IGNORECASE),
               "pl": re.compile(r"o\s+tym(?!\w)", re.IGNORECASE)}
# relative pronouns that open a clause about the noun before them ("Британець, який …", "Polityk, który …")
# "citing X" after a source: who reports, and whom it cites, are two (the first speaks)
_CITING = re.compile(r"\s(?:з|із)\s+посиланням\s+на\s|\sспасылаючыся\s+на\s|\spowołując\s+się\s+na\s", re.IGNORECASE)
_RELATIVE_PRONOUNS = {
    lang: re.compile(rf"\s*(?:{words})(?!\w)", re.IGNORECASE) for lang, words in {
        "uk": r"який|яка|яке|які|якого|якої|якому|якій|яким|якими|котрий|котра|котре|котрі",
        "ru": r"который|которая|которое|которые|которого|которой|которому|которым|которыми",
        "be": r"які|якая|якое|якія|якога|якой|якому|якім|каторы|каторая|каторае|каторыя",
        "pl": r"który|która|które|którzy|którego|której|któremu|którym|którymi|jaki|jaka|jakie|jacy|jakiego|jakiej",
        "bg": r"който|която|което|които|когото|чийто|чиято",
    }.items()}
# datives that may open a clause before its cue with its subject dropped ("Нам сказали", "Mi powiedziano")
_TOLD_PRONOUNS = {"мені", "нам", "вам", "їм", "йому", "їй", "тобі", "мне", "ім", "яму", "ёй", "табе",
                  "mi", "nam", "wam", "im", "jemu", "tobie"}
_DATIVE_PLURAL = re.compile(r"\w\w(?:ам|ям|om)$")
# "не" / "nie" right before a cue: what someone did not say is no statement of theirs
_NEGATION = re.compile(r"(?<!\w)(?:не|nie)\s+$", re.IGNORECASE)
# Kazakh "деп" and the speech verb after it ("деп мәлімдеді", "деп атап өтті", "деп хабарлады")
_KK_DEP = re.compile(r"(?<!\w)деп\s+(?P<cue>мәлімдеді|мәлімдейді|атап\s+өтті|атап\s+өтеді|айтты|айтады|хабарлады|"
                     r"хабарлайды|жазды|жазады|түсіндірді|қосты|ескертті|растады|сендірді|санайды)(?!\w)", re.IGNORECASE)
# an outlet's name in quotation marks right after the cue ("– napisał „The Times”", "пише «Європейська правда»")
# (a capitalised name of at most five words, the clause ending after it: never a quotation the cue opens)
_QUOTED_OUTLET = re.compile(rf"\s*[\"„«“](?P<name>[{_UPPER}][^\"„«“”»\s]*(?:\s[^\"„«“”»\s]+){{0,2}})[\"”»“]"
                            r"(?=\s*(?:[.,;!?]|$))")
# a medium the statement was made to, after the cue (Ukrainian, Polish): "агентству Укрінформ", "виданню «…»",
# "в ефірі ICTV", "agencji Reutera", "na antenie Polsat News", "dla portalu …"
_TOLD_MEDIUM = re.compile(
    r"(?<!\w)(?:агентству|агенції|виданню|телеканалу|газеті|радіо|в\s+ефірі(?:\s+телеканалу)?|"
    r"agencji|portalowi|gazecie|telewizji|stacji|radiu|dziennikowi|tygodnikowi|na\s+antenie|dla(?:\s+portalu)?)\s+"
    rf"(?:[{_UPPER}][\w.-]*(?:\s+[{_UPPER}0-9][\w.-]*){{0,2}}|[\"„«“][^\"„«“”»]{{1,40}}[\"”»“])")
# a Russian-family adverbial participle opening a clause set off by commas before the cue (never an adjectival
# participle, "-щая", "-вшая": "фирма, производящая медикаменты" is the subject's own clause): the subject stands
# before it ("Президент России, комментируя его слова, отметил", "Prezydent, odpowiadając na pytanie, powiedział")
_GERUND = re.compile(r"\s*[а-яёіїєґ]+(?:уя|юя|[члдгкж]ая|ря|ючи|учи|вши|вшись|ясь|ивши)(?!\w)|\s*[a-ząćęłńóśźż]+(?:ąc|wszy)(?!\w)",
                     re.IGNORECASE)
# French object clitics right before a cue in the third person ("nous confie", "lui a dit"): the addressee
_FR_OBJECT_CLITICS = frozenset(["nous", "vous", "me", "m'", "m’", "te", "lui", "leur"])
# French and Spanish prepositions that open an adjunct between a quotation and its cue, never a subject
_ROMANCE_ADJUNCT_OPENERS = {
    "fr": re.compile(r"(?:lors|à|dans|pendant|après|avant|devant|sur|en|au|aux|depuis|durant)(?!\w)", re.IGNORECASE),
    "es": re.compile(r"(?:durante|en|tras|ante|antes|después|desde|sobre)(?!\w)", re.IGNORECASE),
    "pt": re.compile(r"(?:durante|em|no|na|após|ante|antes|depois|desde|sobre)(?!\w)", re.IGNORECASE),
    "it": re.compile(r"(?:durante|in|nel|nella|dopo|prima|davanti|da|dal|dalla|su|sul|sulla)(?!\w)", re.IGNORECASE),
}
_HOW_CUE = re.compile(r"(?:jak|як|co)\s", re.IGNORECASE)  # "як повідомив X, …": a comma closes X
_HOW = {"jak", "як", "co", "як і", "как", "как и"}  # "as" opening a cue's clause, never its subject
_REFLEXIVE = {"се", "się", "ся"}  # a reflexive before the cue makes it impersonal ("се казва", "mówi się")
_PARTICLES = {"але", "а", "і", "й", "та", "ж", "же", "ще", "вже", "тоді", "ale", "a", "i", "już", "jeszcze", "то"}


# pronouns after a preposition that say where, before the subject ("У ньому військові кажуть", "W nim ...")
_PLACE_PRONOUNS = {"ньому", "ній", "них", "цьому", "цій", "цих", "тому", "тій", "ім", "ёй", "гэтым", "nim", "niej",
                   "nich", "tym", "tej"}


def _place_or_institution(text: str, subject: Span, entities: list[NamedSpan], prepositions: set[str]) -> Span | None:
    """A phrase before the cue that opens with a preposition ("У МВС Білорусі повідомили", "а в Мінську на
    вокзалі сказали"): an institution named in it speaks (without the preposition), a place or anything else
    does not (the speaker is dropped; the resolver then looks back)."""
    words = list(_WORD.finditer(text, subject[0], subject[1]))
    while words and words[0].group(0).lower() in _PARTICLES:
        words = words[1:]
    if len(words) > 2 and text.startswith("-", words[0].end()) and words[1].start() == words[0].end() + 1:
        # "По-рано оперативният щаб на Кубан съобщи": a hyphenated adverb ("earlier"), no preposition
        return trim(text, (words[2].start(), subject[1])) or subject
    if not words or words[0].group(0).lower() not in prepositions:
        return subject
    named = [e for e in entities if e[2] == "ORG" and words[0].end() <= e[0] and e[1] <= subject[1]]
    if named and len(words) > 1 and named[0][0] == words[1].start():
        return trim(text, (named[0][0], subject[1]))  # "У МВС Білорусі"
    if named:
        return subject  # "На початку квітня місцева влада Бєлґорода": the institution is in the phrase
    if len(words) > 2 and words[1].group(0).lower() in _PLACE_PRONOUNS:  # "У ньому військові кажуть"
        return trim(text, (words[2].start(), subject[1]))
    return None


def _only_told(phrase: str) -> bool:
    """Whether a phrase before a cue holds only datives and particles (who was told, no subject): dative
    pronouns, or one plural noun in the dative ("Жінкам сказали", "Dziennikarzom powiedziano")."""
    words = [w.lower() for w in _WORD.findall(phrase)]
    told = [w for w in words if w not in _PARTICLES]
    if len(told) == 1 and _DATIVE_PLURAL.search(told[0]):
        return True
    return bool(told) and all(w in _TOLD_PRONOUNS for w in told)
_BEFORE_CUE_DASHED = re.compile(r"(?:,\s*[—–-]?|\s[—–-])\s*$")
# the phrase after a cue, up to punctuation or an adjunct's preposition ("сказал президент в обращении")
_AFTER_PHRASE = re.compile(r"\s+([^,.;:!?\"“”„«»()\n]{2,80})")
_ADJUNCT = re.compile(r"\s(?:in|im|am|an|auf|bei|vor|nach|gegenüber|on|at|during|to|in|на|в|во|перед|после|"
                      r"en|à|a|durante|ante|lors|pendant|dans|sur|devant)\s", re.IGNORECASE)
# German reported speech before its cue: "Ausländische Agenten hätten ... bezahlt, sagte er"
_SUBJUNCTIVE = re.compile(r"(?<!\w)(?:sei|seien|habe|hätten?|würden?|werde|könne|müsse|solle|dürfe|wolle|"
                          r"gebe|gäbe|wären?|stehe|liege|führe|trügen)(?!\w)", re.IGNORECASE)
# words that open an adjunct or object, not a subject, before a role noun after the cue
_NOT_A_SUBJECT = {"if", "of", "when", "as", "after", "before", "while", "because", "that", "whether", "than", "to",
                  "for", "with", "about", "on", "by", "wenn", "als", "ob", "dass", "über", "für", "mit", "von",
                  "si", "que", "pour", "avec", "sur", "de", "para", "con", "sobre", "что", "если", "о", "об"}
# "Laut (dem russischen) Außenministerium wird …": the source is the noun phrase after "laut"
_LAUT_SOURCE = re.compile(r"\s+((?:(?:dem|der|des|den|einem|einer|eines)\s+)?(?:[a-zäöü][\w-]*\s+){0,2}?"
                          r"[A-ZÄÖÜ][\w-]*(?:\s+[A-ZÄÖÜ][\w-]*){0,3}"
                          r"(?:\s+(?:der|des|von|vom)\s+(?:[a-zäöü][\w-]*\s+){0,2}?[A-ZÄÖÜ][\w-]*(?:\s+[A-ZÄÖÜ][\w-]*){0,2})?)")
# a relative clause closing on a comma after the source of "laut X" ("laut einer E-Mail, die AFP gesehen hat, will
# ..."): it says which source, and is neither content nor reported speech (none follows "laut X" after a comma);
# it ends on its verb, a lowercase word ("das Vorhaben mit den Ressorts Innen," is an object, not a clause)
_LAUT_RELATIVE = re.compile(r"\s*,\s*(?:[Dd]er|[Dd]ie|[Dd]as|[Dd]em|[Dd]en|[Dd]eren|[Dd]essen|[Dd]enen|[Ww]elche[rsmn]?)\s+"
                            r"(?:[^\s,.;:!?\"“”„«»]+\s+){0,11}?[a-zäöüß][^\s,.;:!?\"“”„«»]*\s*,")
# conjunctions that open a subordinate clause (a phrase opening with one is no subject)
_SUBORDINATORS = {"nachdem", "weil", "obwohl", "obgleich", "wenn", "bevor", "seitdem", "sobald", "falls", "because",
                  "although", "when", "while", "когда", "хотя", "поскольку", "пока", "если", "lorsque", "quand",
                  "cuando", "aunque", "porque", "mientras"}  # never prepositions too ("als", "после", "after")
# a name the statement was made to, not by: "sagte X gegenüber AFP", "erklärte X gegenüber dem Sender", "sagte im
# Gespräch mit AFP der Minister", "заявил в интервью ТАСС министр"
# the phrase that names who was told (cased as a sentence may open with it; `_ADDRESSEE` ignores case)
_TOLD = (r"(?:[Gg]egenüber|(?:[Ii]m|[Ii]n\s+einem)\s+(?:Gespräch|Interview|Telefonat)\s+mit|"
         r"в\s+(?:интервью|беседе\s+с|разговоре\s+с)|[ву]\s+(?:інтерв['’]ю|розмові\s+з)|"
         r"[Ww]\s+(?:rozmowie\s+z|wywiadzie\s+(?:dla|z)))")
_ADDRESSEE = re.compile(rf"(?<!\w){_TOLD}\s+(?:(?:dem|der|den)\s+)?(?:\w+\s+)?$", re.IGNORECASE)
# an interview before a role after the cue ("заявил в интервью ТАСС министр"): who was told, not part of the
# speaker; other places stay ("сообщили в пресс-службе посольства": the press office speaks)
_LEADING_ADJUNCT = re.compile(r"(?:в\s+(?:интервью|беседе|разговоре)|(?:im|in\s+einem)\s+(?:Gespräch|Interview|Telefonat)|"
                              r"gegenüber|[ву]\s+(?:інтерв['’]ю|розмові)|w\s+(?:rozmowie|wywiadzie))\s", re.IGNORECASE)
# news agencies and the nouns that name a medium: after a cue, in the dative ("sagte der AFP", "teilte die
# Polizei der Nachrichtenagentur AFP mit", "сообщил ТАСС"), they are who was told, not who spoke
_AGENCY = (r"AFP|dpa|DPA|Reuters|AP|APA|KNA|epd|SDA|ANSA|EFE|Interfax|Интерфакс\w*|TASS|Tass|ТАСС|ИТАР-ТАСС|"
           r"Укрінформ\w*|УНІАН\w*|Інтерфакс-Україна|БелТА|PAP|Kazinform|Казинформ|ҚазАқпарат|"
           r"RIA(?:\s+Nowosti|\s+Novosti)?|РИА(?:\s+Новости)?|Xinhua|Синьхуа|Kyodo|Bloomberg|Sputnik")
_MEDIUM = (r"(?:Nachrichten)?[Aa]gentur|Zeitung|Tageszeitung|Wochenzeitung|Zeitschrift|Sender|Fernsehsender|"
           r"Radiosender|Magazin|Nachrichtenmagazin|Portal|Nachrichtenportal|Blatt")
_DE_DATIVE = re.compile(rf"(?<![\w-])(?:(?P<dem>dem)|der)\s+(?:(?P<medium>{_MEDIUM})\s+)?"
                        rf"(?P<name>[A-ZÄÖÜ][\w-]*(?:\s+[A-ZÄÖÜ][\w-]*){{0,2}})")
# a medium's own name ends in what it is: "der Deutschen Presse-Agentur", "der Süddeutschen Zeitung"
_MEDIUM_NAME = re.compile(r"(?:agentur|zeitung|sender|magazin|portal|blatt|rundschau)$", re.IGNORECASE)
# Russian prepositions: an agency followed by one of them ("сообщил ТАСС в пятницу") may still be the subject
_RU_PREPOSITIONS = {"в", "во", "на", "по", "с", "со", "о", "об", "для", "у", "за", "после", "перед", "к", "ко", "из"}
_AGENCY_RIGHT_AFTER = re.compile(rf"\s+(?P<name>{_AGENCY})(?![\w-])")
_CLAUSE_END = re.compile(r"[,.;:!?\"“”„«»()\n]")
# verbs of quoting someone ("zitiert Y mit den Worten", "цитирует Y", "quotes Y as saying"): their object speaks
_QUOTING_VERB = re.compile(r"zitier\w*|цитиру\w*|цитира(?:т|ха)?|процитирова\w*|quot(?:e|es|ed|ing)|цит(?:ує|ують)|процитува\w*|"
                           r"цыт(?:уе|уюць)|cytuj\w*|zacytowa\w*", re.IGNORECASE)
_QUOTED_LEAD = re.compile(r"(?:(?:aus|from|из|з|із)\s+)?(?:(?:слова|высказывания|заявление|die\s+Worte|Äußerungen|"
                          r"the\s+words\s+of|заяву|słowa)\s+)?", re.IGNORECASE)
_DOCUMENT_LEAD = re.compile(r"(?:(?:eine|die|der|das|an?|the)\s+)?"
                            r"(?:сообщени\w*|заявлени\w*|Mitteilung|Erklärung|Bericht|statement|report|повідомлен\w*|"
                            r"заяв[уіа]|komunikat\w*|oświadczeni\w*)(?!\w)",
                            re.IGNORECASE)
_WITH_THE_WORDS = re.compile(r"mit\s+(?:den\s+|dem\s+)?(?:Worten|Satz|Aussage)\s*,$", re.IGNORECASE)
# who was told, opening the phrase after a cue before its inverted subject: "sagte im Gespräch mit AFP der
# Minister", "sagte gegenüber der Zeitung die Ministerin", "заявил в интервью ТАСС министр"
_ADDRESSEE_LEAD = re.compile(rf"{_TOLD}\s+(?:(?:dem|der|den)\s+)?"
                             rf"(?:(?:{_MEDIUM})\s+)?(?:{_AGENCY}|[{_UPPER}][\w-]*(?:\s+[{_UPPER}][\w-]*){{0,2}})\s+")
# cheap screens before the addressee, quoted-person and qualified-name scans: the word each of those ends in
_ADDRESSEE_WORD = re.compile(r"gegenüber|Gespräch|Interview|Telefonat|интервью|беседе|разговоре|інтерв['’]ю|розмові|"
                             r"rozmowie|wywiadzie", re.IGNORECASE)
_AS_BEFORE = re.compile(r"(?<!\w)as\s+$", re.IGNORECASE)
_QUALIFIER_BEFORE = re.compile(r"(?<!\w)(?:von|aus|of|from|de|du|del|der|des)\s+$", re.IGNORECASE)
_AGENCY_IN = re.compile(rf"(?<![\w-])(?:{_AGENCY})(?![\w-])")
# the owner of a quoted document after its noun: "eine Mitteilung des Ministeriums", "the statement of the embassy"
_OWNER_LEAD = re.compile(r"\s*(?:(?:des|der|von|vom|from|of)\s+(?:(?:the|dem|der)\s+)?)?", re.IGNORECASE)
_NOBODY: tuple[int, int] = (-1, -1)  # `_quoted_person`: the phrase after the quoting verb is who quotes, no one quoted
_QUOTED = re.compile(r"\s+(?P<who>[^\s,.;:!?\"“”„«»()]+(?:\s+[^\s,.;:!?\"“”„«»()]+){0,5}?)"
                     r"(?=\s+(?:mit\s+(?:den\s+|dem\s+)?(?:Worten|Satz|Aussage)|as\s+(?:saying|telling|writing|"
                     r"stating)|with\s+the\s+words|словами)|\s*[,:.]|\s+[-–—]\s)")
# a dative preposition (with an article and up to three lower-case words: "à emissora alemã") right before a
# name after a cue: who was told. Portuguese "a" is also the article ("a Maria disse"), French "a" the verb.
_DATIVE_TAIL = r"\s+(?:(?:la|le|les|el|lo|los|las|il|l['’]|o|os|a|as|gli|i)\s+)?(?:[a-zà-ÿ][\w-]*\s+){0,3}$"
# Only capitalised words (the inverted subject: "disse Konstantinov à Sputnik") may stand between the cue and the
# preposition; after a noun ("le ministre délégué aux Transports X") the preposition is the noun's complement.
_DATIVE_HEAD = r"\s+(?:(?-i:[A-ZÀ-ÖØ-Þ])[\w'’-]*\s+){0,4}"
_ROMANCE_DATIVE = re.compile(rf"{_DATIVE_HEAD}(?:à|au|aux|a|al|ao|aos|às|alla|allo|alle|agli|ai|para)(?:{_DATIVE_TAIL})",
                             re.IGNORECASE)
_ROMANCE_DATIVE_PT = re.compile(rf"{_DATIVE_HEAD}(?:à|ao|aos|às|para)(?:{_DATIVE_TAIL})", re.IGNORECASE)
# the object pronoun of a quoting verb before the medium that quotes ("— цитирует его РИА Новости", "zitiert ihn
# die Zeitung", "cytuje go PAP"): the pronoun's antecedent spoke
_QUOTED_PRONOUN = re.compile(r"(\w+)\s+\S")
_OBJECT_PRONOUNS = frozenset(["его", "её", "ее", "их", "його", "її", "їх", "яго", "яе", "іх", "go", "ją", "je", "ich",
                              "ihn", "him", "her", "them", "го", "я", "ги"])
_QUOTED_AS = re.compile(r"(?<![\w-])(?:quot(?:e|es|ed|ing)|cit(?:e|es|ed|ing))\s+(?P<who>[^\s,.;:!?\"“”„«»()]+"
                        r"(?:\s+[^\s,.;:!?\"“”„«»()]+){0,5}?)\s+as\s+", re.IGNORECASE)
# a name that qualifies a noun before it: "eine Bewohnerin von Marn", "a resident of Marn", "une habitante de Marn"
_QUALIFIED = re.compile(r"(?<!\w)(?:ein|eine|einer|der|die|das|a|an|the|un|une|le|la|una|el)\s+[\w-]+\s+"
                        r"(?:von|aus|of|from|de|du|del)\s+$", re.IGNORECASE)
# a name in the genitive of a German role noun: "die Sprecherin der AFP", "der Sprecher des Kremls" (the
# role's holder speaks; the name only says whose spokeswoman)
_ROLE_GENITIVE = re.compile(rf"(?<!\w)(?:die|der|den|dem|eine|einer|ein|einem)\s+(?:{ROLE_NOUNS['de']})\s+(?:der|des)\s+$",
                            re.IGNORECASE)
# a relative pronoun after "selon" / "según": the phrase says what a claim holds, no one is its source
_RELATIVE_SOURCE = re.compile(r"(?:laquelle|lequel|lesquel(?:le)?s|la cual|el cual|l[oa]s cuales|lo cual)(?!\w)",
                              re.IGNORECASE)
# what an accused after an inverted German subject looks like: a noun (capitalised) or an object pronoun
_DE_ACCUSED = re.compile(r"(?<![\w-])(?:[A-ZÄÖÜ]\w*|ihn|sie|es|uns|euch|mich|dich|ihnen)(?![\w-])")
# German auxiliaries after a verb-final participle ("beschuldigt hätten"), never an accused
_AUXILIARIES = re.compile(r"(?:hat|haben|hatte|hatten|habe|hätte|hätten|wird|werden|würde|würden|wurde|wurden|"
                          r"worden|sei|seien|ist|sind|war|waren)(?:\s+(?:worden|haben|sein|werden))?", re.IGNORECASE)
# a German relative clause after a comma: a relative pronoun followed by a word no article is followed by
# (a pronoun, a preposition, a particle): "eine Bewohnerin, die sich …", "der Minister, der am Montag …"; an
# article opens reported speech ("sagte, die USA würden …", "sagte, die neuen Sanktionen …")
_DE_RELATIVE = re.compile(r"\s*(?:der|die|das|dem|den|deren|dessen|denen)\s+(?:sich|er|sie|es|ich|wir|ihr|man|"
                          r"mit|von|vom|in|im|am|an|auf|bei|beim|nach|für|über|seit|aus|zu|zum|zur|schon|noch|"
                          r"nicht|nie|selbst|damals|jetzt|heute|gestern)\s")
_CONTINUATION_GAP = 300  # a subjunctive sentence this close after an attribution continues it
_AUX_BEFORE = re.compile(rf"\b(?:hat|haben|hatte|hatten|habe|has|have|had|ist|sind|is|was|{_FR_AUX}|ha|han|"
                         r"había|habían)\s*$", re.IGNORECASE)
# ", Pavel Roudenko," closing the clause before a cue: an apposition to the subject, not a statement
_APPOSITION_END = re.compile(rf",\s*(?:[{_UPPER}][\w'’-]*\s*){{1,4}}$")


@dataclass
class _Sentence:
    start: int
    end: int


def _sentences(text: str, lang: str) -> list[_Sentence]:
    """Sentences of `text`, every paragraph split by `lang`'s rules (Polish "ok." ends none). A line that
    ends without a sentence's closing mark and a next line that opens in lower case are one sentence cut by a
    stray line break ("«…», — заявил\n\nобозреватель Fox News Дуглас Мюррей": the cue's subject opens the
    next paragraph, and the content's names are not who spoke)."""
    langs: list[str | None] = [lang] * (text.count("\n") + 1)
    out: list[_Sentence] = []
    for s in split_sentences(text, langs):
        if out and _continues(text, out[-1].end, s.start):
            out[-1] = _Sentence(out[-1].start, s.end)
        else:
            out.append(_Sentence(s.start, s.end))
    return out


_LINE_END_OPEN = re.compile(r"[\w,]\s*$")  # a line ending on a word or a comma ends no sentence


def _continues(text: str, end: int, start: int) -> bool:
    """Whether the sentence at `start` goes on with the one ending at `end`: only a line break between them,
    the first ends on a word or a comma, the second opens with a lower-case letter."""
    gap = text[end:start]
    return ("\n" in gap and not gap.strip() and start < len(text) and text[start].islower()
            and _LINE_END_OPEN.search(text, max(0, end - 3), end) is not None)


def _sentence_at(sentences: list[_Sentence], pos: int) -> int:
    """Index of the sentence holding `pos` (or the last one starting before it)."""
    k = 0
    for i, s in enumerate(sentences):
        if s.start > pos:
            break
        k = i
    return k


#: a demonstrative object opening a cue's sentence ("Das sagte Scholz", "Това каза Сакс", "Это заявил Лавров"):
#: what was said is the sentence before
_DEMONSTRATIVES = {"de": {"das", "dies"}, "ru": {"это", "то"}, "uk": {"це", "те"}, "be": {"гэта"}, "pl": {"to"},
                   "bg": {"това"}, "it": {"questo", "ciò"}, "fr": {"cela", "ça"}, "es": {"esto", "eso"},
                   "pt": {"isto", "isso"}}

#: conjunctions of contrast that open an adverbial clause after a comma (a preposition too elsewhere: "während
#: des Krieges", so not in `_SUBORDINATORS`, whose words must never open a subject); a conditional or causal
#: clause is not among them: "stwierdził, jeśli …, to …" reports the whole conditional
_CONTRAST_OPENERS = {"während", "wohingegen", "whereas", "mentre", "tandis", "mientras", "enquanto", "докато", "podczas"}

# a Bulgarian word with the definite article: the article goes on a noun phrase's first word, so a later word that
# carries one opens the next phrase ("анализатора | европейските лидери")
_BG_DEFINITE = re.compile(r"\w(?:ът|ят|та|то|те)$")

# Bulgarian impersonal plural cue with its source after "от" ("съобщиха от ведомството", "допълват от МО")
_BG_PLURAL_CUE = re.compile(r"(?:ха|ат|ят)$")
_BG_FROM = re.compile(r"\s+от\s+([^\s,.;:!?\"“”„«»()\n]+(?:\s+[^\s,.;:!?\"“”„«»()\n]+){0,5})")
_TOLD_INSIDE = re.compile(rf"\s{_TOLD}\s")


def _before_told(text: str, subject: Span | None) -> Span | None:
    """The subject phrase without an interview after it ("Дмитрий Песков в интервью Павлу Зарубину [заявил]":
    Peskov; the interviewer is who was told)."""
    if subject is None:
        return None
    told = _TOLD_INSIDE.search(text, subject[0], subject[1])
    if told is None or told.start() <= subject[0]:
        return subject
    return trim(text, (subject[0], told.start())) or subject


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _inside(pos: int, regions: list[QuoteRegion]) -> bool:
    return any(r.start <= pos < r.end for r in regions)


# lower-case words inside a German noun phrase ("Die Sprecherin des Weißen Hauses"); any other
# lower-case word is the verb (or an adverb) that ends the subject
_DE_NP_GLUE = {"der", "die", "das", "des", "dem", "den", "von", "vom", "und"}
_SOURCE_CONJUNCTION = re.compile(r"\s(?:und|sowie|aber|and|but|и|а|но|et|mais|y|pero)\s", re.IGNORECASE)
_LOWER_WORD = re.compile(r"\s+([a-zäöüß]\w*)")
_EN_PREPOSITIONS = {"in", "at", "from", "citing", "among", "by", "with", "to", "of", "on"}
_DE_PREPOSITIONS = {"am", "im", "in", "an", "auf", "bei", "beim", "nach", "vor", "seit", "während", "mit", "für",
                    "über", "unter", "zum", "zur", "aus", "laut", "trotz", "wegen", "gegen", "ohne", "um"}


def _german_topic(text: str, start: int, end: int) -> Span | None:
    """The capitalised phrase that opens a German main clause, when it can be its subject:
    nouns are capitalised, so the phrase ends at the first lower-case word outside an article
    or a genitive "des/von". Not when it opens with a preposition or reads as a time adverbial."""
    words = list(re.finditer(r"[\w-]+", text[start:end]))
    kept: list[re.Match[str]] = []
    for word in words:
        token = word.group()
        if not (token[0].isupper() or (token in _DE_NP_GLUE and kept)):
            break
        kept.append(word)
    while kept and not kept[-1].group()[0].isupper():
        kept.pop()
    if not kept or len(kept) > 6 or kept[0].group().lower() in _DE_PREPOSITIONS:
        return None
    phrase = text[start + kept[0].start():start + kept[-1].end()]
    if _TIME_TOPIC.match(phrase) or len(kept) == len(words):
        return None  # "Diesen Monat ...", or no verb after the phrase at all
    return start + kept[0].start(), start + kept[-1].end()


def _last_boundary(left: str) -> int:
    return max(left.rfind(c) for c in (",", ";", ":", "“", "”", "\"", "»", "«", "„"))


_DE_PARTICLES = {"ein", "zurück", "an", "auf", "ab", "vor", "mit", "zu", "entgegen", "nach", "hin", "her"}


# a Russian claim noun's agent is a bare genitive, never a prepositional phrase: "обвинение в том, что …"
# (the accusation *of* something) names the charge, not who made it
_RU_PREPOSITION = r"(?:во?|об?|обо|на|по|за|про|с|со|от|к|ко)\s"
# the same for the Russian-like languages: "заяви про те, що …", "oświadczenie o tym, że …" name no agent
_CLAIM_NOT_AGENT = {"uk": r"|про\s+те|(?:у|з|із|від|до|для)\s", "be": r"|пра\s+тое|(?:ў|у|пра|з|ад|да|для)\s",
                    "pl": r"|o\s+tym|(?:w|o|na|z|ze|od|do|dla|za|po)\s"}


def _claim_pattern(lang: str) -> re.Pattern[str]:
    """A claim noun, its agent and the complementiser that opens the claim ("Behauptungen von X,
    dass", "claims by X that", "заявления X о том, что", "les affirmations de X selon lesquelles")."""
    agent = CLAIM_AGENT[lang]
    prefix = rf"(?:{agent})(?:\s+|(?<=['’]))" if agent else ""  # "del presidente", "d'Oleg"
    return re.compile(
        rf"(?<![\w-])(?P<cue>{NOUN_CLAIMS[lang]})\s+{prefix}"
        rf"(?!о\s+том|that\b|dass\b|que\b|{_RU_PREPOSITION}{_CLAIM_NOT_AGENT.get(lang, '')})"
        rf"(?P<agent>[^\s,.;:!?\"“”„«»()][^,.;:!?\"“”„«»()\n]{{0,80}}?)\s*,?\s*(?:{CLAIM_COMPLEMENT[lang]})(?![\w-])",
        re.IGNORECASE)


def _replaced_by_claim(a: Attribution, claim: Attribution) -> bool:
    """True when `a` gives `claim`'s content to someone else: its cue comes before the claim noun
    ("Lindqvist kritisierte die Behauptung von X, dass ...") or is the noun itself or a word of the
    phrase that ties the claim to its agent (French "selon lesquelles" is no "selon X"), and its
    content mostly is the claim's."""
    if a.cue is None or claim.cue is None:
        return False
    if a.cue[0] > claim.cue[0] and not a.cue[0] < claim.content_extent[0]:
        return False
    if claim.cue[1] <= a.cue[0] < claim.content_extent[0]:
        return True
    return _mostly_covered(a.content_extent, claim.content_extent) or _mostly_covered(claim.content_extent,
                                                                                      a.content_extent)


class RuleExtractor:
    """Quotation rules of one language; `extract(text, entities)` returns Attributions."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in SPEECH_VERBS else "en"
        # the grammar whose rules this language runs: its own, or Russian's for Ukrainian, Belarusian, Polish
        self.family = "ru" if self.lang in _RUSSIAN_LIKE else "es" if self.lang in _SPANISH_LIKE else self.lang
        self._language_words()
        self.verbs = compile_words(SPEECH_VERBS[self.lang])
        self.according = compile_words(ACCORDING[self.lang])
        # the complementiser may follow a few words ("sagte ihm, dass", "told reporters that")
        # (never the first half of an indefinite pronoun: "сказал что-то новое", "що-небудь")
        hyphen = "" if self.lang == "en" else "(?!-)"
        self.comp = re.compile(rf"(?:\s+[^\s,.;:!?\"“”„«»]+){{0,4}}?\s*,?\s*(?:{COMPLEMENTISER[self.lang]})\b{hyphen}",
                               re.IGNORECASE)
        self.pronouns = PRONOUNS[self.lang]
        # a claim noun's agent and a charge's accused follow the noun or verb; Kazakh (verb-final) puts them
        # before it, and has neither frame here
        self.claims = _claim_pattern(self.lang) if self.lang in NOUN_CLAIMS else None
        self.charges: re.Pattern[str] | None = None
        self.charge_verb: re.Pattern[str] | None = None  # a cue that accuses: the name after it is the accused
        if self.lang in CHARGE_VERBS or self.lang in ACCUSING_VERBS:
            self.charge_verb = re.compile(CHARGE_VERBS.get(self.lang, ("", ""))[0] or ACCUSING_VERBS[self.lang],
                                          re.IGNORECASE)
        if self.lang in CHARGE_VERBS:
            verb, link = CHARGE_VERBS[self.lang]
            self.charges = re.compile(rf"(?<![\w-])(?P<cue>{verb})(?P<middle>(?:\s+[^\s,.;:!?\"“”„«»()]+){{1,8}}?)"
                                      rf"(?P<link>{link})", re.IGNORECASE)
        person_roles = compile_person_roles(self.lang).pattern
        org_roles = compile_words(ORG_ROLE_NOUNS.get(self.lang, ORG_ROLE_NOUNS["en"])).pattern
        nouns = [compile_words(PERSON_NOUNS[self.lang]).pattern] if self.lang in PERSON_NOUNS else []
        self.roles = re.compile("|".join([person_roles, org_roles, *nouns]), re.IGNORECASE)
        self.sources = compile_words(SOURCE_NOUNS.get(self.lang, SOURCE_NOUNS["en"]))
        self.impersonal = compile_words(IMPERSONAL_CUES[self.lang]) if self.lang in IMPERSONAL_CUES else None

    def _language_words(self) -> None:
        """The function words the shared rules read (conjunctions, prepositions, subordinators): the module's
        lists for the languages written first, those plus their own for the Russian-like languages."""
        lang = self.lang
        self.coordinated = _COORDINATED
        self.comma_clause = _COMMA_CLAUSE
        self.adjunct = _ADJUNCT
        self.before_cue = _BEFORE_CUE_DASHED if lang in _RUSSIAN_LIKE else _BEFORE_CUE
        self.prepositions = _PREPOSITIONS.get(lang, _RU_PREPOSITIONS)
        self.not_subject = _NOT_A_SUBJECT | _NOT_A_SUBJECT_MORE.get(lang, set())
        self.subordinators = _SUBORDINATORS | _SUBORDINATORS_MORE.get(lang, set())
        if lang in _COORDINATORS:
            self.coordinated = re.compile(rf"(?<!\w)(?:{_COORDINATORS[lang]})\s*$", re.IGNORECASE)
            # a relative clause may open with its preposition ("mówią o katastrofie, po której …")
            preposition = "|".join(sorted(_PREPOSITIONS[lang]))
            self.comma_clause = re.compile(r"(?:\s+[^\s,.;:!?\"“”„«»]+){0,5}?\s*(,)\s*[—–-]?\s*"
                                           rf"(?!(?:(?:{preposition})\s+)?(?:{_NOT_A_CLAUSE[lang]})(?!\w))\w",
                                           re.IGNORECASE)
            self.adjunct = re.compile(rf"\s(?:{_ADJUNCT_WORDS[lang]})\s", re.IGNORECASE)

    # -- speakers ---------------------------------------------------------------------------
    def _speaker(self, text: str, cue: Span, lo: int, hi: int, entities: list[NamedSpan],
                 exclude: list[Span]) -> Span | None:
        """Nearest PER/ORG entity to the cue inside [lo, hi) and outside `exclude`, else a
        pronoun next to the cue, else the noun phrase that ends before the cue."""
        def free(s: int, e: int) -> bool:
            return lo <= s and e <= hi and not any(a <= s < b for a, b in exclude)

        def dist(s: int, e: int) -> int:
            return cue[0] - e if e <= cue[0] else s - cue[1]

        if self.lang == "de" and text[cue[0]:cue[1]].lower() in {"heißt", "hieß"}:
            return _heisst_es_source(text, cue, hi)
        if self.impersonal is not None and self.impersonal.fullmatch(text, cue[0], cue[1]):
            document = _IN_DOCUMENT.match(text, cue[1], max(hi, cue[1]))
            return trim(text, document.span(1)) if document else None  # "говорится в сообщении МИД России"
        quoted = self._quoted_person(text, cue, hi, exclude) or self._quoted_before(text, cue, lo)
        if quoted is not None:
            return None if quoted == _NOBODY else quoted
        exclude = exclude + self._addressees(text, cue, lo, hi)
        charged = self.charge_verb is not None and self.charge_verb.fullmatch(text[cue[0]:cue[1]]) is not None
        if charged:  # "Trump a accusé Hunter Biden …", "Те обвиниха Брюксел, че …": who is accused, not who speaks
            exclude = exclude + [(cue[1], max(hi, cue[1]))]
        antecedent = self._relative_antecedent(text, cue, lo)
        if antecedent is not None:
            return antecedent
        anonymous = self._anonymous_source(text, cue, lo, hi, exclude)
        if anonymous is not None:
            return anonymous
        if self.lang == "bg" and _BG_PLURAL_CUE.search(text, cue[0], cue[1]):
            source = _BG_FROM.match(text, cue[1], max(hi, cue[1]))
            if source is not None:  # "…“, съобщиха от ведомството", "допълват от Министерството на отбраната":
                return source.span(1)  # the institution speaks through an impersonal plural
        if self.lang == "fr":  # "« … », avait-il déclaré lors du podcast avec X": the clitic is the subject
            clitic = _FR_CLITIC.search(text, max(lo, cue[0] - 24), cue[0])
            if clitic is not None and re.search(rf"(?:{_FR_AUX}|est|sont|était)-", text[max(lo, cue[0] - 24):cue[0]],
                                                re.IGNORECASE):
                return clitic.span(1)
        told = _ADDRESSEE_WORD.search(text, max(0, lo - 20), max(hi, cue[1])) is not None  # one scan, not one per name
        named = [(_qualified_start(text, s), e, t) for s, e, t in entities if t in {"PER", "ORG"} and free(s, e)
                 and not (cue[0] <= s < cue[1]) and not self._before_role(text, e)
                 and not (told and _ADDRESSEE.search(text, max(0, s - 20), s)) and not self._after_preposition(text, s)
                 and not self._romance_addressee(text, cue, s)]
        if self.lang in _RUSSIAN_LIKE:
            outlet = _QUOTED_OUTLET.match(text, cue[1], max(hi, cue[1]))
            if outlet is not None:  # "– napisał „The Times”", "пише «Європейська правда»": the outlet
                return outlet.span("name")
        coordinated = self._coordinated_subject(text, cue, lo, named)
        if coordinated is not None:
            return coordinated
        persons = [x for x in named if x[2] == "PER" and dist(x[0], x[1]) <= 160]
        close = [x for x in named if dist(x[0], x[1]) <= 25]
        best = min(persons or close, key=lambda x: dist(x[0], x[1]), default=None)
        after = re.match(r"\s*(\w+)", text[cue[1]:hi])
        if after and after.group(1).lower() in self.pronouns and self.lang != "en" and best is not None \
                and best[0] >= cue[1] + after.end(1):
            # "«…», написал он в … Ранее президент России Владимир Путин …": the pronoun right after the cue is
            # its inverted subject; a name further on belongs to what follows
            return cue[1] + after.start(1), cue[1] + after.end(1)
        subject = _before_told(text, self._subject_before(text, cue, lo)) if told else self._subject_before(text, cue, lo)
        if best is not None:
            if subject and best[1] <= subject[0] and (
                    other_person_phrase(text[subject[0]:subject[1]], self.lang, self.roles)
                    or self._owned_role(text, subject)):
                return subject  # "вона підтвердила, що її син повідомив", "X ... . A spokesman said", "Байден …
                #   Президент России, комментируя его слова, отметил": not X
            if subject and subject[0] <= best[0] and best[1] <= subject[1]:
                if self.lang in _RUSSIAN_LIKE:  # "У МВС повідомили": the ministry, not "in the ministry"
                    return _place_or_institution(text, subject, entities, self.prepositions)
                return subject  # the whole phrase: "Die Sprecherin des Weißen Hauses", "Biden's spokeswoman"
            if subject and self._in_relative_clause(text, subject, best, cue):
                return subject  # "Волонтер, який допомагав Коваленку, сказав": the noun before the clause
            held = self._role_of(text, cue, best)
            return held if held is not None else (best[0], best[1])
        after = re.match(r"\s*(\w+)", text[cue[1]:hi])
        if after and after.group(1).lower() in self.pronouns:
            return cue[1] + after.start(1), cue[1] + after.end(1)
        if charged:
            return subject
        inverted = _INVERTED_NAME.match(text, cue[1], hi)
        if inverted and not any(a <= inverted.start(1) < b for a, b in exclude):
            return inverted.start(1), inverted.end(1)
        role = self._role_after(text, cue, hi, exclude)
        if role is not None:
            return role
        if subject and self.lang == "de" and _TIME_TOPIC.match(text[subject[0]:subject[1]]):
            return None  # "Diesen Monat teilte ... mit": a time adverbial is never the speaker
        if subject and self.lang in _RUSSIAN_LIKE:
            return _place_or_institution(text, subject, entities, self.prepositions)
        return subject

    def _romance_addressee(self, text: str, cue: Span, start: int) -> bool:
        """French, Spanish, Portuguese, Italian: a name after the cue behind a dative preposition is who was
        told ("disse Konstantinov à Sputnik", "disse à emissora alemã Deutsche Welle", "ha detto ai giornalisti",
        "a déclaré au Monde"), never who spoke."""
        if self.family not in {"fr", "es"} or start < cue[1] or start - cue[1] > 80:
            return False
        dative = _ROMANCE_DATIVE_PT if self.lang == "pt" else _ROMANCE_DATIVE
        return dative.fullmatch(text, cue[1], start) is not None

    def _relative_antecedent(self, text: str, cue: Span, lo: int) -> Span | None:
        """The Russian-like languages: a cue right after a relative pronoun ("зв'язалися з його другом, який
        сказав, що …") has that pronoun's antecedent as its subject, the noun phrase before the comma without
        its preposition; a name elsewhere in the sentence (the outlet whose journalists called him) is not who
        speaks. None when no relative pronoun stands right before the cue."""
        relative = _RELATIVE_PRONOUNS.get(self.lang) if self.family == "ru" else None
        if relative is None:
            return None
        before = text[lo:cue[0]]
        comma = before.rstrip().rfind(",")
        if comma < 0 or not relative.fullmatch(before[comma + 1:].rstrip()):
            return None
        words = list(_WORD.finditer(before, 0, comma))[-3:]
        while words and words[0].group(0).lower() in self.prepositions:
            words = words[1:]  # "з його другом" -> "його другом"
        if not words or any(w.group(0)[:1].isupper() for w in words):
            return None  # no phrase, or a name: the nearest-name rules below take it ("з Іваном Петренком, який …")
        return lo + words[0].start(), lo + words[-1].end()

    def _owned_role(self, text: str, subject: Span) -> bool:
        """Whether the subject phrase opens with a role noun and its owner's capitalised name ("Президент
        России", "Бывший госсекретарь США", "Le ministre français"): a person the resolver finds by that role,
        never the person named before the phrase."""
        phrase = text[subject[0]:subject[1]]
        role = self.roles.search(phrase)
        if role is None or _words(phrase[:role.start()]) > 2:
            return False
        owner = re.match(r"\s+(\w+)", phrase[role.end():])
        return owner is not None and owner.group(1)[:1].isupper()

    def _after_preposition(self, text: str, start: int) -> bool:
        """Russian-like languages: a name right after a preposition is its object, never a subject ("rozmowy z
        Władimirem Putinem", "obrona przez Steinmeiera", "розмова з Кулебою")."""
        if self.lang not in _RUSSIAN_LIKE:
            return False
        before = re.search(r"(\w+)\s+$", text[max(0, start - 16):start])
        if before is None or (len(before.group(1)) > 1 and before.group(1).isupper()):
            return False  # "wiceprzewodniczący PO Tomasz Siemoniak": a party, not "po"
        return before.group(1).lower() in self.prepositions

    def _role_of(self, text: str, cue: Span, name: NamedSpan) -> Span | None:
        """Russian-like languages: a role right after the cue whose institution the name is ("powiedział wiceszef
        MZ", "mówił lider PSL", "заявив глава МЗС"): the role's holder speaks, not the institution."""
        if self.lang not in _RUSSIAN_LIKE or name[2] != "ORG" or name[0] < cue[1]:
            return None
        between = text[cue[1]:name[0]]
        if not between.strip() or _words(between) > 3 or _CLAUSE_END.search(between):
            return None
        role = self.roles.search(between)
        return trim(text, (cue[1], name[1])) if role is not None else None

    def _in_relative_clause(self, text: str, subject: Span, name: NamedSpan, cue: Span) -> bool:
        """Whether a name lies in a relative clause between the subject phrase and its cue (`_RELATIVE_PRONOUNS`)."""
        relative = _RELATIVE_PRONOUNS.get(self.lang)
        if relative is None or not subject[1] <= name[0] < cue[0]:
            return False
        gap = re.match(r"\s*,", text[subject[1]:name[0]])
        return gap is not None and relative.match(text, subject[1] + gap.end()) is not None

    def _anonymous_source(self, text: str, cue: Span, lo: int, hi: int, exclude: list[Span]) -> Span | None:
        """An anonymous source as the subject, before the cue ("Eine Quelle aus dem Umfeld von Scholz sagte",
        "Источник, близкий к Кремлю, сообщил") or inverted after it, past who was told ("сообщил РИА Новости
        источник в правительстве", "sagte eine Quelle aus Regierungskreisen"): the whole phrase with its
        description speaks, never a name inside it nor the nearest name. Checked only when the sentence holds
        a source noun (one precompiled search)."""
        if self.sources.search(text, lo, max(hi, cue[1])) is None:
            return None
        subject = self._subject_before(text, cue, lo)
        if subject is not None and self._source_headed(text, subject):
            return subject
        m = _AFTER_PHRASE.match(text, cue[1], max(hi, cue[1]))
        if m is None:
            return None
        start, end = m.span(1)
        lead = _ADDRESSEE_LEAD.match(text, start, end)
        start = lead.end() if lead else start
        for a, b in sorted(exclude):
            if a <= start < b or (a > start and text[start:a].strip() == ""):
                start = max(start, b)  # "сообщил РИА Новости источник": the agency was told
        end = min([a for a, _ in exclude if start < a < end], default=end)
        span = trim(text, (start, end))
        if span is None or not self._source_headed(text, span):
            return None
        return self._source_description_end(text, span)

    def _source_description_end(self, text: str, span: Span) -> Span | None:
        """The source phrase up to where its description ends: before a coordinated verb ("sagte die Quelle
        und bestätigte damit …"), and in German before a lower-case word right after the noun that is no
        preposition or article (a verb: "sagte diese Quelle bestätigte damit …")."""
        head = self.sources.search(text, span[0], span[1])
        if head is None:
            return span
        end = span[1]
        conjunction = _SOURCE_CONJUNCTION.search(text, head.end(), end)
        if conjunction is not None:
            end = conjunction.start()
        after = _LOWER_WORD.match(text, head.end(), end) if self.lang == "de" else None
        if after is not None and after.group(1) not in _DE_PREPOSITIONS | _DE_NP_GLUE | {"nahe", "zufolge"}:
            end = head.end()
        return trim(text, (span[0], end))

    def _source_headed(self, text: str, span: Span) -> bool:
        """Whether a phrase is built on a source noun: one among its first four words, after nothing but
        articles and modifiers (a pronoun or a preposition before it makes it an adjunct: "sagte er unter
        Berufung auf Quellen")."""
        head = self.sources.search(text, span[0], span[1])
        if head is None:
            return False
        before = [w.lower() for w in _WORD.findall(text, span[0], head.start())]
        return len(before) <= 3 and not (set(before) & (self.pronouns | self.not_subject | _DE_PREPOSITIONS
                                                         | _RU_PREPOSITIONS | _EN_PREPOSITIONS | self.prepositions))

    def _quoted_person(self, text: str, cue: Span, hi: int, exclude: list[Span]) -> Span | None:
        """The object of a quoting verb ("Die Zeitung zitiert Müller mit den Worten", "Вечерняя Москва
        цитирует Кириленко", "the paper quotes Kirilenko as saying"): the quoted person spoke, the one
        quoting only reports it. A phrase of one to six words up to "mit den Worten" / "as saying" or
        punctuation, holding a capitalised word or a role; else None (the usual speaker search)."""
        if not _QUOTING_VERB.fullmatch(text[cue[0]:cue[1]]):
            return None
        m = _QUOTED.match(text, cue[1], max(hi, cue[1]))
        if m is None or any(a <= m.start("who") < b for a, b in exclude):
            return None
        pronoun = _QUOTED_PRONOUN.match(m.group("who"))
        if pronoun is not None and pronoun.group(1).lower() in _OBJECT_PRONOUNS:
            return m.start("who"), m.start("who") + pronoun.end(1)  # "— цитирует его РИА Новости": he spoke
        lead = _QUOTED_LEAD.match(m.group("who"))  # "цитирует слова министра", "zitiert aus einem Papier"
        start = m.start("who") + (lead.end() if lead else 0)
        who = text[start:m.end("who")]
        if not (re.search(rf"(?<![\w-])[{_UPPER}]", who) or self.roles.search(who)):
            return None
        if {w.lower() for w in _WORD.findall(who)} & self.not_subject:
            return None
        return _quoted_owner(text, start, m.end("who"))

    def _quoted_before(self, text: str, cue: Span, lo: int) -> Span | None:
        """The person a quoting verb names before its "as saying" ("Vechernaya Moskva quotes Kirilenko
        as saying …"): Kirilenko speaks, not the paper."""
        if not _AS_BEFORE.search(text, max(lo, cue[0] - 8), cue[0]):
            return None  # the sentence is scanned only when "as" stands right before the cue
        m = _QUOTED_AS.search(text, lo, cue[0])
        if m is None or m.end() != cue[0]:
            return None
        return trim(text, m.span("who"))

    def _addressees(self, text: str, cue: Span, lo: int, hi: int) -> list[Span]:
        """Who a German or Russian statement was made to, in the cue's clause: a dative after the cue ("sagte
        der AFP", "teilte die Polizei der Nachrichtenagentur AFP mit", "sagte Müller dem Sender"; a "der"
        only before a medium or a news agency, and not after a role noun, whose genitive it would be: "die
        Sprecherin der AFP"), and a news agency right after the cue when a subject opens the clause before
        it ("Die Polizei teilte AFP mit", "Песков сообщил ТАСС"). "…, teilte AFP mit" keeps AFP, the only
        subject there."""
        if self.family not in {"de", "ru"}:
            return []
        end = _CLAUSE_END.search(text, cue[1], max(hi, cue[1]))
        stop = end.start() if end else max(hi, cue[1])
        out: list[Span] = []
        if self.lang == "de":
            for m in _DE_DATIVE.finditer(text, cue[1], stop):
                named_agency = (re.fullmatch(_AGENCY, m.group("name")) is not None
                                or _MEDIUM_NAME.search(m.group("name")) is not None)
                if not (m.group("dem") or m.group("medium") or named_agency):
                    continue
                before = text[max(cue[1], m.start() - 40):m.start()].rstrip()
                if not m.group("dem") and before and self.roles.search(before.split()[-1]):
                    continue  # "sagte die Sprecherin der AFP": a genitive of the role
                if before and before.split()[-1].lower() in _DE_PREPOSITIONS:
                    continue  # "sagte eine Quelle aus dem Umfeld von Scholz": a preposition's object
                out.append((m.start(), m.end()))
        if self.lang in _RUSSIAN_LIKE:  # "powiedział agencji Reutera", "na antenie Polsat News", "в ефірі ICTV"
            out += [t.span() for t in _TOLD_MEDIUM.finditer(text, cue[1], stop)]
        agency = _AGENCY_RIGHT_AFTER.match(text, cue[1], stop)
        if agency and (self._subject_opens_clause(text, cue, lo) or self._subject_follows(text, agency.end(), stop)):
            out.append((agency.start("name"), agency.end()))
        return out

    def _subject_follows(self, text: str, start: int, stop: int) -> bool:
        """Russian: a noun phrase after the agency, before the clause ends, is the inverted subject and the
        agency the dative ("…, сообщил РИА Новости источник в правительстве"); a preposition there opens an
        adjunct ("сообщил ТАСС в пятницу"), and the agency may be the subject."""
        if self.family != "ru":
            return False
        first = re.match(r"\s+(\w+)", text[start:stop])
        return first is not None and first.group(1).lower() not in self.prepositions

    def _subject_opens_clause(self, text: str, cue: Span, lo: int) -> bool:
        """Whether the words before the cue are its subject in second position ("Die Polizei teilte …"),
        not reported speech the cue closes ("…, teilte AFP mit") nor a time adverbial ("Am Montag teilte …")."""
        left = text[lo:cue[0]].rstrip()
        if not left or left[-1] in ",:;\"“”„«»–—-":
            return False
        subject = self._subject_before(text, cue, lo)
        return subject is not None and not _TIME_TOPIC.match(text[subject[0]:subject[1]])

    def _before_role(self, text: str, end: int) -> bool:
        """A name right before a role noun qualifies the role ("Patruschews Stellvertreter Alexander
        Schewtsow", "Putin's spokesman"): the role's holder speaks, not the name."""
        gap = re.match(r"(?:['’]s?)?\s+", text[end:end + 4])
        return gap is not None and self.roles.match(text, end + gap.end()) is not None

    def _role_after(self, text: str, cue: Span, hi: int, exclude: list[Span]) -> Span | None:
        """A role or institution right after the cue: "— сказал президент", "mahnte die
        Politikerin", "dijo la portavoz de la LAB" (speakers.py resolves it to a person)."""
        m = _AFTER_PHRASE.match(text, cue[1], max(hi, cue[1]))
        if not m or any(a <= m.start(1) < b for a, b in exclude):
            return None
        phrase, offset = m.group(1), m.start(1)
        lead = _ADDRESSEE_LEAD.match(phrase)
        if lead is not None:  # "sagte im Gespräch mit AFP der Minister": who was told comes first
            phrase, offset = phrase[lead.end():], offset + lead.end()
        stop = self.adjunct.search(phrase)
        phrase = phrase[:stop.start()] if stop else phrase
        role = self.roles.search(phrase)
        if role is None or role.start() > 40 or _words(phrase[:role.start()]) > 3:
            return None
        if {w.lower() for w in _WORD.findall(phrase[:role.start()])} & self.not_subject:
            return None  # "said if elected president", "spoke of the senator": no subject there
        if _LEADING_ADJUNCT.match(phrase[:role.start()]):  # "заявил в интервью ТАСС министр": the minister
            return trim(text, (offset + role.start(), offset + len(phrase)))
        return trim(text, (offset, offset + len(phrase)))

    def _coordinated_subject(self, text: str, cue: Span, lo: int, named: list[NamedSpan]) -> Span | None:
        """"Tokajew teilte die Bühne mit Putin und sagte, ...": a cue verb coordinated with an
        earlier verb shares that verb's subject, the first name of the clause, not the nearest.
        A clause that names nobody keeps its German subject phrase ("Kasachische Beamte fordern
        ... und sagen, ..."), which no other rule reaches past the first verb, or the pronoun
        opening the sentence ("Он отказался строить предположения о том, кто ..., но сказал")."""
        left = text[lo:cue[0]]
        conjunction = self.coordinated.search(left)
        if not conjunction:
            return None
        clause_start = lo + _last_boundary(left[:conjunction.start()]) + 1
        before = sorted(x for x in named if clause_start <= x[0] and x[1] <= cue[0])
        if before:
            return before[0][0], before[0][1]
        topic = _german_topic(text, clause_start, cue[0]) if self.lang == "de" else None
        opener = re.match(r"\s*(\w+)", left)
        if topic is None and opener and opener.group(1).lower() in self.pronouns:
            return lo + opener.start(1), lo + opener.end(1)
        return topic

    def _subject_before(self, text: str, cue: Span, lo: int) -> Span | None:
        """The phrase between the last clause boundary and the cue (minus an auxiliary)."""
        left = text[lo:cue[0]]
        aux = _AUX_BEFORE.search(left)
        if aux:
            left = left[:aux.start()]
        left = left.rstrip(" ,\u00a0")
        cut = _last_boundary(left)
        russian_like = self.lang in _RUSSIAN_LIKE
        if self.family == "ru" and cut > 0 and left[cut] == "," and _GERUND.match(left, cut + 1):
            left = left[:cut]  # "Президент России, комментируя его слова, отметил": the subject is before the clause
            cut = _last_boundary(left)
        elif cut > 0 and left[cut] == "," and _words(left[cut:]) <= 4 and not (
                self.family == "ru" and _GERUND.match(left, _last_boundary(left[:cut]) + 1)):
            # (never past an adverbial participle's clause: "Говоря об Украине, экс-госсекретарь США отметил")
            previous = _last_boundary(left[:cut])  # "Die Sprecherin von Joe Biden, Jen Psaki"
            # the Russian-like languages: only a name after the comma is an apposition ("На питання про те, …,
            # президент відповів": a subordinate clause before the comma, not a role)
            if _words(left[previous + 1:cut]) <= 6 and not (russian_like and left[cut + 1:].strip()[:1].islower()):
                cut = previous
        end = len(left)
        relative = _RELATIVE_PRONOUNS.get(self.lang)
        if relative and cut >= 0 and relative.match(left, cut + 1) and not re.search(r",\s*$", text[lo:cue[0]]):
            return None  # "з його другом, який сказав": the cue is the relative clause's, its subject is "який"
        while relative and cut >= 0 and left[cut] == "," and relative.match(left, cut + 1):
            end, cut = cut, _last_boundary(left[:cut])  # "Британець, який служив у ЗСУ, сказав": the noun before
        start = lo + cut + 1
        span = trim(text, (start, lo + end))
        if span and self.coordinated.search(text[span[0]:span[1]]):
            return None  # "Am Montag forderten Beamte Ruhe und [sagten]": a clause, not a subject
        if span and russian_like and _only_told(text[span[0]:span[1]]):
            return None  # "Але нам кажуть": who was told, the speaker dropped
        if span and self.family == "ru" and (text[span[0]:span[1]].lower() in _HOW | _REFLEXIVE
                                             or text[span[0]:span[1]].split()[-1].lower() in _REFLEXIVE):
            return None  # "Jak napisał na Twitterze: …", "Як зазначив", "се казва", "Вместо това се смята" (it is
            #   said, believed): no subject
        if span and self.lang == "fr" and text[span[0]:span[1]].lower() in _FR_OBJECT_CLITICS \
                and not re.search(r"(?:ons|ez)$", text[cue[0]:cue[1]]):
            return None  # "« … » nous confie l'un des scientifiques": who was told, not who speaks
        if span and self.lang in _ROMANCE_ADJUNCT_OPENERS and _ROMANCE_ADJUNCT_OPENERS[self.lang].match(text, span[0]):
            return None  # '"…" lors de l'assemblée générale, s'est félicité le groupe': an adjunct, no subject
        if span and 1 <= _words(text[span[0]:span[1]]) <= 8:
            return self._past_subordinator(text, span)
        return None

    def _past_subordinator(self, text: str, span: Span) -> Span | None:
        """A phrase before the cue that opens with a subordinating conjunction is a subordinate clause, not
        a subject ("Nachdem er in den Medien [versichert hatte]"): its subject is the pronoun after the
        conjunction; with none, no speaker (unsure is better than a clause fragment as the speaker)."""
        words = list(_WORD.finditer(text, span[0], span[1]))
        if not words or words[0].group(0).lower() not in self.subordinators:
            return span
        if len(words) > 1 and words[1].group(0).lower() in self.pronouns:
            return words[1].start(), words[1].end()
        return None

    # -- direct quotes ------------------------------------------------------------------------
    def _direct(self, text: str, sentences: list[_Sentence], regions: list[QuoteRegion],
                entities: list[NamedSpan]) -> list[Attribution]:
        out: list[Attribution] = []
        previous: Attribution | None = None
        for region in regions:
            content = trim(text, region.inner)
            if content is None:
                continue
            k_first = _sentence_at(sentences, region.start)
            k_last = _sentence_at(sentences, max(region.start, region.end - 1))
            lo, hi = sentences[k_first].start, sentences[k_last].end
            if text[lo:region.start].strip() == "" and k_first > 0 and text[:lo].rstrip().endswith(":"):
                lo = sentences[k_first - 1].start  # "Sie fügte hinzu:" introduces the next paragraph
            cue = self._nearest_cue(text, lo, hi, region, regions)
            colon = text[lo:region.start].rstrip().endswith(":")
            words = _words(text[content[0]:content[1]])
            attribution = None
            if cue is not None and words < 3 and not _adjacent(text, cue, region):
                cue = None  # a one- or two-word phrase is only a quote right next to its cue
            if cue is not None and _name_in_marks(text, cue, region):
                cue = None  # '34-летний нападающий "Кэпз" отметил ...': a team's name, not its words
            if cue is not None or colon:
                anchor = cue or (region.start - 1, region.start)
                clause = self._clause_into_quote(text, sentences[k_first].start, region, regions, cue)
                content = clause or content
                exclude = [(r.start, r.end) for r in regions] + ([clause] if clause else [])
                speaker = self._speaker(text, anchor, lo, hi, entities, exclude)
                if speaker is None and cue is None and self.lang != "en":
                    speaker = self._pronoun_opener(text, lo, region)
                if speaker is not None and self.lang in _RUSSIAN_LIKE and content[0] <= speaker[0] < content[1]:
                    speaker = None  # "заявив «Так»": the quotation itself is no outlet
                attribution = Attribution([content], speaker, cue, kind="direct")
            elif words >= _MIN_WORDS_UNCUED and previous is not None and region.start - previous.content_extent[1] < 400 \
                    and not _headline(text, region) and (self.lang == "en" or not _AS_A_NAME.search(text, lo, region.start)):
                attribution = Attribution([content], previous.source, None, kind="direct",
                                          extras={"continues": True})
            if attribution is not None and (cue is not None or words >= 2):
                out.append(attribution)
                previous = attribution
        return out

    def _clause_contents(self, text: str, sentences: list[_Sentence], regions: list[QuoteRegion],
                         found: list[Attribution]) -> list[Attribution]:
        """Indirect contents after their cue that are not what the cue reports: one that opens with a
        conjunction of contrast is the writer's aside ("dass Bush die Existenz … bestätigt hat, während
        die US-Regierung … bestreitet": the "while" clause is the writer's); after a demonstrative object ("Das
        sagt die Politik, das tun die Betriebe", "Това каза … Джефри Сакс, в интервю за …") what was said is
        the sentence before, which becomes the content when it is a statement outside quotation marks (else the
        attribution goes); with no subject after the cue the demonstrative is the subject ("Это говорит о том,
        что …": "this shows that", no one's statement) and the attribution goes."""
        out = []
        for a in found:
            if a.kind != "indirect" or a.cue is None or a.content_extent[0] < a.cue[1]:
                out.append(a)
                continue
            first = _WORD.search(text, a.content_extent[0])
            if first is not None and first.group(0).lower() in _CONTRAST_OPENERS:
                continue
            if self.impersonal is not None and self.impersonal.fullmatch(text, a.cue[0], a.cue[1]) \
                    and not self.comp.match(text, a.cue[1], a.content_extent[0] + 1):
                continue  # "говорится в сводке Минобороны, распространенной в понедельник": the document's clause
            k = _sentence_at(sentences, a.cue[0])
            opener = text[sentences[k].start:a.cue[0]].strip().lower()
            if opener not in _DEMONSTRATIVES.get(self.lang, ()):
                out.append(a)
                continue
            if a.source is None or a.source[0] < a.cue[1]:
                continue  # "Это говорит о том, что …", "Das zeigt, dass …": the demonstrative is the subject
            previous = trim(text, (sentences[k - 1].start, sentences[k - 1].end)) if k > 0 else None
            if previous is not None and _words(text[previous[0]:previous[1]]) >= _MIN_WORDS_UNCUED \
                    and not any(r.start < previous[1] and previous[0] < r.end for r in regions) \
                    and "\n\n" not in text[previous[1]:a.cue[0]]:
                a.content = [previous]
                out.append(a)
        return out

    def _said_before(self, text: str, sentences: list[_Sentence], regions: list[QuoteRegion],
                     entities: list[NamedSpan], found: list[Attribution]) -> list[Attribution]:
        """"Об этом заявил X.", "Про це сказав X.", "Това каза X.", "Das sagte X.", "Lo ha detto X.": a sentence
        that opens with "about this" / "this" and its cue, its subject after the cue, reports the sentence before
        it (one statement of six words or more outside quotation marks, in the same paragraph, no one else's
        content already)."""
        opener = _SAID_BEFORE.get(self.lang)
        if opener is None:
            return []
        taken = [a.content_extent for a in found] + [(r.start, r.end) for r in regions]
        out = []
        for k in range(1, len(sentences)):
            m = opener.match(text, sentences[k].start, sentences[k].end)
            cue_match = self.verbs.match(text, m.end(), sentences[k].end) if m else None
            if cue_match is None:
                continue
            cue = cue_match.span()
            source = self._speaker(text, cue, sentences[k].start, sentences[k].end, entities, [])
            previous = trim(text, (sentences[k - 1].start, sentences[k - 1].end))
            if source is None or source[0] < cue[1] or previous is None or "\n\n" in text[previous[1]:cue[0]] \
                    or _words(text[previous[0]:previous[1]]) < _MIN_WORDS_UNCUED \
                    or any(a < previous[1] and previous[0] < b for a, b in taken):
                continue
            out.append(Attribution([previous], source, cue, kind="indirect"))
        return out

    def _pronoun_opener(self, text: str, lo: int, region: QuoteRegion) -> Span | None:
        """A quotation after a colon, no cue: a personal pronoun opening the sentence before the colon is who
        speaks ("Er freut sich, wieder zurück ins Rheinland zu kommen: „…“"); the resolver takes it back to
        the person."""
        first = _WORD.search(text, lo, region.start)
        if first is None or first.group(0).lower() not in self.pronouns or text[lo:first.start()].strip():
            return None
        return first.span()

    def _about_this(self, text: str, sentences: list[_Sentence], a: Attribution) -> bool:
        """Whether an indirect attribution's content or its cue's clause opens with "about this" (`_ABOUT_THIS`)."""
        about = _ABOUT_THIS[self.lang]
        if about.match(text, a.content[0][0]):
            return True
        if a.cue is None:
            return False
        sent = sentences[_sentence_at(sentences, a.cue[0])]
        opener = trim(text, (sent.start, a.cue[0]))
        return opener is not None and about.match(text, opener[0]) is not None and a.content_extent[0] > a.cue[0]

    def _clause_into_quote(self, text: str, sent_start: int, region: QuoteRegion, regions: list[QuoteRegion],
                           cue: Span | None) -> Span | None:
        """"Das Weiße Haus beobachte die Proteste und unterstütze „Aufrufe zur Ruhe …“, sagte Psaki": a
        quotation that closes a clause begun outside the marks, its cue right after it, reports the whole
        clause (the quoted words alone are a noun phrase). None when the quotation opens its sentence, follows
        a colon or comma, or the words before it hold a cue or another quotation."""
        if cue is None or cue[0] < region.end or not _adjacent(text, cue, region):
            return None
        before = text[sent_start:region.start]
        stripped = before.rstrip()
        if not stripped or not stripped[-1].isalnum() or _words(before) < 3:
            return None
        if self.verbs.search(before) or any(sent_start <= r.start < region.start for r in regions):
            return None
        return trim(text, (sent_start, region.end))

    def _nearest_cue(self, text: str, lo: int, hi: int, region: QuoteRegion,
                     regions: list[QuoteRegion]) -> Span | None:
        best: tuple[int, Span] | None = None
        for m in self.verbs.finditer(text, lo, hi):
            if _inside(m.start(), regions):
                continue
            d = region.start - m.end() if m.end() <= region.start else m.start() - region.end
            if d < 0:
                continue
            between = text[m.end():region.start] if m.end() <= region.start else text[region.end:m.start()]
            if re.search(r"[.!?]\s", between):
                continue
            if best is None or d < best[0]:
                best = (d, (m.start(), m.end()))
        return best[1] if best else None

    # -- indirect speech ----------------------------------------------------------------------
    def _indirect(self, text: str, sentences: list[_Sentence], regions: list[QuoteRegion],
                  entities: list[NamedSpan]) -> list[Attribution]:
        out: list[Attribution] = []
        for sent in sentences:
            for m in self.verbs.finditer(text, sent.start, sent.end):
                if _inside(m.start(), regions) or self._negated(text, m.start()):
                    continue
                comp = self.comp.match(text, m.end(), sent.end)
                rest = text[m.end():sent.end]
                clause = (self.comma_clause.match(rest) if self.lang in _COMMA_VERBS
                          and _COMMA_VERBS[self.lang].fullmatch(m.group(0).lower()) else None)
                if clause and _QUOTING_VERB.fullmatch(m.group(0)) and not _WITH_THE_WORDS.search(rest[:clause.end(1)]):
                    clause = None  # "wird ein Unternehmen zitiert, schreibt Le Soir": only "zitiert X mit den Worten, …"
                if clause and self.lang == "de" and _DE_RELATIVE.match(rest, clause.end(1)):
                    clause = None  # "sagte eine Bewohnerin von Marn, die sich … retten konnte": who she is
                # "…, sagte er in einer Erklärung, ohne …": words between the cue and its comma make the
                # clause *before* the cue the statement, when there is one
                before = self._clause_before(text, sent, m, regions) if not comp else None
                if clause and before and rest[:clause.start(1)].strip():
                    after = trim(text, (m.end() + clause.end(1) - 1, sent.end))
                    if after and _words(text[after[0]:after[1]]) > _words(text[before[0]:before[1]]):
                        # "В то же время, добавил американец, его пугает реакция ...": the cue interrupts
                        # one statement; its longer part follows (the part before is an opening adverbial)
                        cue = (m.start(), m.end())
                        speaker = (self._speaker(text, cue, m.start(), after[0], entities, [before])
                                   or trim(text, (m.end(), m.end() + clause.start(1))))  # "добавил американец"
                        out.append(Attribution([before, after], speaker, cue, kind="indirect"))
                        continue
                    clause = None
                if comp:
                    body = (comp.end(), sent.end)
                elif clause:
                    body = (m.end() + clause.end(1), sent.end)  # "sagte, die USA würden ..."
                elif before is not None:
                    cue = (m.start(), m.end())  # "…, sagte er" / "…, заявил Лавров"
                    clitic = _FR_CLITIC.search(text, before[1], m.start()) if self.lang == "fr" else None
                    speaker = (clitic.span(1) if clitic else
                               self._speaker(text, cue, m.start(), sent.end, entities, [before]))
                    out.append(Attribution([before], speaker, cue, kind="indirect"))
                    continue
                else:
                    continue
                content = trim(text, body)
                if content is None or _words(text[content[0]:content[1]]) < 3:
                    continue
                cue = (m.start(), m.end())
                speaker = self._speaker(text, cue, sent.start, content[0], entities, [])
                out.append(Attribution([content], speaker, cue, kind="indirect"))
            out.extend(self._according(text, sent, regions, entities))
            if self.lang == "kk":
                out.extend(self._kazakh_dep(text, sent, regions, entities))
        return out

    def _kazakh_dep(self, text: str, sent: _Sentence, regions: list[QuoteRegion],
                    entities: list[NamedSpan]) -> list[Attribution]:
        """Kazakh reported speech closes on "деп" and the speech verb ("Тоқаев жағдай тұрақты деп мәлімдеді",
        "... деп хабарлады Kazinform"): the content runs from the sentence's opening subject (a name or a
        role phrase of up to four words ending in one) to "деп"; the speaker is a name right after the verb,
        else that subject, else none (a dropped subject)."""
        out: list[Attribution] = []
        for m in _KK_DEP.finditer(text, sent.start, sent.end):
            if _inside(m.start(), regions):
                continue
            cue = m.span("cue")
            after = _INVERTED_NAME.match(text, cue[1], sent.end)
            opening = [e for e in entities if e[2] in {"PER", "ORG"} and sent.start <= e[0] and e[1] <= m.start()
                       and _words(text[sent.start:e[0]]) <= 3]
            start = sent.start
            speaker: Span | None = None
            if after is not None:
                speaker = after.span(1)
            if opening:
                first = min(opening)
                start = first[1]
                speaker = speaker or trim(text, (sent.start, first[1]))
            content = trim(text, (start, m.start()))
            if content is None or _words(text[content[0]:content[1]]) < 3 or any(
                    r.start <= content[0] and content[1] <= r.end for r in regions):
                continue
            out.append(Attribution([content], speaker, cue, kind="indirect"))
        return out

    def _negated(self, text: str, start: int) -> bool:
        """A cue of the Russian rules right after "не"/"nie" ("не написала мені, що …", "nie powiedział, że …",
        "не сказал, что …")."""
        return self.family == "ru" and _NEGATION.search(text, max(0, start - 5), start) is not None

    def _clause_before(self, text: str, sent: _Sentence, m: re.Match[str], regions: list[QuoteRegion]) -> Span | None:
        """Reported speech before its cue: German ", sagte er" / ", mahnte die Politikerin" when the
        clause is in the subjunctive (the mark of reported speech), Russian ", заявил Лавров",
        Spanish ", comunicó la autoridad" and French ", a-t-il déclaré" (a speech verb right after
        the comma, its subject after it or in the clitic); never a quotation (the direct-quote
        rules' job)."""
        if self.family not in {"de", "ru", "fr", "es"}:
            return None
        if self.family == "ru" and not _COMMA_VERBS[self.lang].fullmatch(m.group(0).lower()):
            return None
        left = text[sent.start:m.start()]
        if self.lang == "fr":  # "…, a-t-il déclaré" / "…, a déclaré X": the auxiliary sits between
            left = _FR_INCISE_AUX.sub(",", left)
        mark = self.before_cue.search(left)
        if mark is None:
            return None
        if self.lang in _RUSSIAN_LIKE and re.match(r"[^,.;:!?]{0,40}:", text[m.end():sent.end]):
            return None  # "…, кажуть: …": the cue introduces what follows the colon
        span = trim(text, (sent.start, sent.start + mark.start()))
        if span is None or _words(text[span[0]:span[1]]) < 4:
            return None
        if self.lang == "de" and not _SUBJUNCTIVE.search(text[span[0]:span[1]]):
            return None
        if _APPOSITION_END.search(text[span[0]:span[1]]):
            return None  # "Un ancien ingénieur du barrage, Pavel Roudenko, affirme avoir ..."
        if self.lang in _RUSSIAN_LIKE:  # "- To absurdalny zarzut – mówi Byrt": the dash opens the speech
            dash = re.match(r"[-–—]\s*", text[span[0]:span[1]])
            span = trim(text, (span[0] + dash.end(), span[1])) if dash else span
            if span is None:
                return None
        if any(r.start < span[1] and span[0] < r.end for r in regions):
            return None
        return span

    def _according(self, text: str, sent: _Sentence, regions: list[QuoteRegion],
                   entities: list[NamedSpan]) -> list[Attribution]:
        out: list[Attribution] = []
        if self.lang == "de":
            out += self._so_source(text, sent, regions)
        for m in self.according.finditer(text, sent.start, sent.end):
            if _inside(m.start(), regions):
                continue
            if m.group(0).lower() == "zufolge" or self.lang == "kk":  # "Dem Ministerium zufolge ...", "Тоқаевтың
                # айтуынша, ...": the source comes first
                source = trim(text, (sent.start + _last_boundary(text[sent.start:m.start()]) + 1, m.start()))
                content = trim(text, (m.end(), sent.end))
                if content and source and _words(text[content[0]:content[1]]) >= 3:
                    out.append(Attribution([content], source, (m.start(), m.end()), kind="indirect"))
                continue
            after = text[m.end():sent.end]
            comma = after.find(",")
            # "laut X", "nach Angaben von X / des X": the noun phrase right after is the source, wherever the
            # phrase stands ("Nach Angaben von Falkner liegt der Wert …": no comma ends it, the verb does)
            laut = (_LAUT_SOURCE.match(text, m.end(), sent.end)
                    if m.group(0).lower().split()[0] in {"laut", "nach"} else None)
            if laut is not None and (comma < 0 or laut.end(1) < m.end() + comma):
                source = trim(text, laut.span(1))
                fragments = [f for f in (trim(text, (sent.start, m.start())), trim(text, (laut.end(1), sent.end)))
                             if f is not None and _words(text[f[0]:f[1]])]  # no lone "." after the source
                if source and sum(_words(text[a:b]) for a, b in fragments) >= 3:
                    out.append(Attribution(fragments, source, (m.start(), m.end()), kind="indirect"))
                continue
            # "laut einer E-Mail, die AFP gesehen hat, …": the relative clause says which source; the content
            # goes on after it
            relative = _LAUT_RELATIVE.match(text, m.end() + comma, sent.end) if self.lang == "de" and comma > 0 else None
            rest = [trim(text, (relative.end(), sent.end))] if relative else []
            dropped = self.lang in _RUSSIAN_LIKE and comma >= 0 and not after[:comma].strip()
            if m.groupdict().get("who") and comma >= 0 and (not after[:comma].strip() if self.lang in _RUSSIAN_LIKE
                                                             else _words(after[:comma]) < 2):
                source = m.span("who")  # "По её словам, ...": the pronoun is the source
                contents = [trim(text, (m.end() + comma + 1, sent.end))]
            elif m.groupdict().get("who"):  # "Jego zdaniem sytuacja jest poważna": no comma after the phrase
                source = m.span("who")
                contents = [trim(text, (m.end(), sent.end))]
            elif dropped:  # "Jak dodał, …", "Na razie, jak dodał, rząd …": the subject is dropped, the resolver
                # continues the last one
                parts = [f for f in (trim(text, (sent.start, m.start())), trim(text, (m.end() + comma + 1, sent.end)))
                         if f is not None and _words(text[f[0]:f[1]])]
                if sum(_words(text[a:b]) for a, b in parts) >= 3:
                    out.append(Attribution(parts, None, (m.start(), m.end()), kind="indirect"))
                continue
            elif self.lang in _RUSSIAN_LIKE and text[sent.start:m.start()].strip(" ,") == "" and not m.groupdict().get(
                    "who") and not _HOW_CUE.match(m.group(0)) and (phrase := self._source_phrase(text, m.end(),
                                                                                              sent.end)) is not None:
                # "Zdaniem Gawkowskiego w przypadku …", "Zdaniem Spurek „zmiany zachodzą …, aby …”": no comma needs
                # to close the source; it ends at a preposition, a quotation mark or punctuation
                source = phrase
                contents = [trim(text, (phrase[1], sent.end))]
            elif (dash := self._dashed_source(text, m, sent)) is not None:
                if dash:
                    out.append(dash[0])
                continue
            elif text[sent.start:m.start()].strip(" ,") == "" and comma > 0:
                source = trim(text, (m.end(), m.end() + comma))
                contents = rest or [trim(text, (m.end() + comma + 1, sent.end))]
            else:
                bare = after.rstrip().rstrip(".!?…")
                bare = bare if not bare.endswith(("\"", "”", "»", "“")) else after  # the quote mark stays whole
                end = m.end() + (comma if comma > 0 else len(bare))
                source = trim(text, (m.end(), end))  # "…, по словам Лаврова.": the name without the full stop
                contents = [trim(text, (sent.start, m.start()))] + rest
            citing = _CITING.search(text, source[0], source[1]) if source and self.lang in _RUSSIAN_LIKE else None
            if source and citing:  # "урядові кола з посиланням на пропозицію KMW": the circles speak
                source = trim(text, (source[0], citing.start()))
            if source and self.lang in _RUSSIAN_LIKE and self.verbs.search(text, source[0], source[1]):
                continue  # "Według KCNA Kim oświadczył, że …": the verb's own attribution says it (Kim)
            if source and _RELATIVE_SOURCE.match(text, source[0]):
                continue  # "l'affirmation selon laquelle ...", "la tesis según la cual ...": what a claim says
            parts = [c for c in contents if c is not None]
            if parts and source and sum(_words(text[a:b]) for a, b in parts) >= 3:
                out.append(Attribution(parts, source, (m.start(), m.end()), kind="indirect"))
        return out

    def _source_phrase(self, text: str, start: int, end: int) -> Span | None:
        """The noun phrase after a sentence-opening "according to" of a Russian-like language: up to four words,
        ending before a preposition, a speech verb, a quotation mark or punctuation; None when a comma closes it
        within those words (the comma rules then apply) or nothing follows it."""
        words = list(re.finditer(r"[^\s,.;:!?\"“”„«»()–—]+", text[start:end]))
        kept: list[re.Match[str]] = []
        for word in words[:4]:
            gap = text[start + (kept[-1].end() if kept else 0):start + word.start()]
            if kept and gap.strip():
                break  # punctuation or a quotation mark between the words
            token = word.group(0)
            if kept and self.verbs.fullmatch(token):
                return None  # "Według KCNA Kim oświadczył, że …": the verb's own attribution says it
            if kept and token.lower() in self.prepositions:
                break
            if kept and self.lang == "bg" and _BG_DEFINITE.search(token) and token[:1].islower():
                break  # "По думите на анализатора европейските лидери трябва …": the article opens a new phrase
            kept.append(word)
        if not kept or len(kept) == len(words):
            return None
        after = text[start + kept[-1].end():end].lstrip()
        if after.startswith(","):
            return None
        return trim(text, (start + kept[0].start(), start + kept[-1].end()))

    def _dashed_source(self, text: str, m: re.Match[str], sent: _Sentence) -> list[Attribution] | None:
        """Russian-like languages: an "according to" phrase set off by dashes inside a sentence ("odnotowano -
        według oficjalnych danych - 1997 przypadków", "oraz na – jak powiedział Kim – „przewadze …”"): the source
        ends at the closing dash and the content is the sentence around the phrase ([] when a quotation follows,
        which the direct rules report); None when no dash closes the phrase before a comma."""
        if self.lang not in _RUSSIAN_LIKE or not re.search(r"[-–—]\s*$", text[sent.start:m.start()]):
            return None
        close = re.compile(r"\s[-–—]\s").search(text, m.end(), sent.end)
        if close is None or "," in text[m.end():close.start()]:
            return None
        source = trim(text, (m.end(), close.start()))
        if re.match(r"\s*[\"„«“]", text[close.end():sent.end]) or source is None:
            return []
        before = trim(text, (sent.start, m.start() - len(text[sent.start:m.start()]) + len(
            text[sent.start:m.start()].rstrip().rstrip("-–—"))))
        parts = [f for f in (before, trim(text, (close.end(), sent.end))) if f is not None]
        if sum(_words(text[a:b]) for a, b in parts) < 3:
            return []
        return [Attribution(parts, source, (m.start(), m.end()), kind="indirect")]

    @staticmethod
    def _so_source(text: str, sent: _Sentence, regions: list[QuoteRegion]) -> list[Attribution]:
        """"…“, so das Außenministerium." and "Stattdessen, so Almaty, würden …": the content
        is the rest of the sentence (a quotation before "so" is left to the direct-quote rules)."""
        out: list[Attribution] = []
        for m in _SO_SOURCE.finditer(text, sent.start, sent.end):
            if _inside(m.start(), regions):
                continue
            cue, source = m.span("cue"), m.span("source")
            quoted = [r for r in regions if sent.start <= r.start and 0 <= m.start() - r.end <= 2]
            if quoted:
                content = trim(text, quoted[-1].inner)
                if content is not None:
                    out.append(Attribution([content], source, cue, kind="direct"))
                continue
            after = trim(text, (m.end(), sent.end)) if m.group("end") == "," else None  # "so Almaty, würden …"
            fragments = [f for f in (trim(text, (sent.start, m.start())), after) if f is not None]
            if sum(_words(text[a:b]) for a, b in fragments) >= 3:
                out.append(Attribution(fragments, source, cue, kind="indirect"))
        return out

    def _noun_claims(self, text: str, sentences: list[_Sentence], regions: list[QuoteRegion]) -> list[Attribution]:
        """Claims a noun reports with its agent: the agent is the source, the clause the content."""
        out: list[Attribution] = []
        if self.claims is None:
            return out
        for sent in sentences:
            for m in self.claims.finditer(text, sent.start, sent.end):
                if _inside(m.start(), regions):
                    continue
                agent_end = m.end("agent")
                if self.lang == "de":  # "ging auf die Behauptungen von X ein, dass": the verb's particle
                    words = list(re.finditer(r"\S+", text[m.start("agent"):agent_end]))
                    if len(words) > 1 and words[-1].group(0) in _DE_PARTICLES:
                        agent_end = m.start("agent") + words[-1].start()
                source = trim(text, (m.start("agent"), agent_end))
                end = sent.end
                verb = self.verbs.search(text, m.end(), sent.end)
                comma = text.rfind(",", m.end(), verb.start()) if verb else -1
                if comma > 0:  # "Ante la acusación de X de que ..., Lindqvist señaló que ...": the claim ends there
                    end = comma
                content = trim(text, (m.end(), end))
                if source is None or content is None or _words(text[source[0]:source[1]]) > 6:
                    continue
                if _words(text[content[0]:content[1]]) < 3:
                    continue
                out.append(Attribution([content], source, m.span("cue"), kind="indirect",
                                       extras={"noun_claim": True}))
        return out

    # -- charges ------------------------------------------------------------------------------
    def _charges(self, text: str, sentences: list[_Sentence], regions: list[QuoteRegion],
                 entities: list[NamedSpan]) -> list[Attribution]:
        """Charges ("Psaki accused Moscow of creating threats", "beschuldigte Psaki Moskau, die
        Bedrohungen zu schaffen", "обвинила Москву в создании угроз"): the content a reader expects
        is the charge with the accused as its subject, two fragments without the word that links
        them ("Moscow" + "creating threats"); a charge that is a clause with its own subject ("в том,
        что он ...", ", dass ...") is that clause alone. The accused is never the speaker: German
        and Russian put an inverted subject between the cue and the accused ("beschuldigte Psaki
        Moskau", "обвинил Лавров Вашингтон"): a name or pronoun opening a longer phrase there speaks."""
        out: list[Attribution] = []
        if self.charges is None:
            return out
        for sent in sentences:
            for m in self.charges.finditer(text, sent.start, sent.end):
                if _inside(m.start(), regions) or not charge_link_ok(self.lang, m.group("cue"), m.group("link")):
                    continue
                if self.lang == "en" and not re.match(r"\w+ing\b", text[m.end():sent.end]):
                    continue  # as on the parse path, only a charged action ("of creating") gets the accused as subject
                charge = trim(text, (m.end(), sent.end))
                middle = trim(text, m.span("middle"))
                if charge is None or middle is None or _words(text[charge[0]:charge[1]]) < 2:
                    continue
                clause = re.search(r"(?:dass|что|будто)\s*$", m.group("link"), re.IGNORECASE) is not None
                if self.lang == "de":
                    particle = re.search(r"\s+vor$", text[middle[0]:middle[1]])  # "warf X vor, ..."
                    if particle:
                        middle = (middle[0], middle[0] + particle.start())
                    first = text[charge[0]:charge[1]].split(",")[0]
                    if not clause and not re.search(r"(?<!\w)zu\s+\w+", first):
                        continue  # "beschuldigte X, sagte Y": no infinitive, no charge
                if _AUXILIARIES.fullmatch(text[middle[0]:middle[1]]):
                    continue  # "X beschuldigt hätten, ...": a verb-final clause, its accused comes before
                cue = m.span("cue")
                speaker, accused = self._charge_roles(text, cue, middle, sent, entities)
                if accused is None:
                    continue
                speaker = speaker or self._speaker(text, cue, sent.start, cue[1], entities, [accused, charge])
                content = [charge] if clause else [accused, charge]
                out.append(Attribution(content, speaker, cue, kind="indirect", extras={"charge": True}))
        return out

    def _charge_roles(self, text: str, cue: Span, middle: Span, sent: _Sentence,
                      entities: list[NamedSpan]) -> tuple[Span | None, Span | None]:
        """(inverted speaker or None, accused) of the words between a charge verb and its link."""
        if self.lang == "es":  # "acusó a Moscú de ...": the personal "a" is no part of the accused
            personal = re.match(r"a\s+(?=\w)", text[middle[0]:middle[1]], re.IGNORECASE)
            return None, (middle[0] + personal.end(), middle[1]) if personal else middle
        if self.family not in {"de", "ru"}:
            return None, middle
        opener = next((e for e in entities if e[0] == middle[0] and e[2] in {"PER", "ORG"} and e[1] < middle[1]), None)
        word = re.match(r"\w+", text[middle[0]:middle[1]])
        if opener is None and word and word.group(0).lower() in self.pronouns and word.end() < middle[1] - middle[0]:
            opener = (middle[0], middle[0] + word.end(), "PRON")
        if opener is None:
            return None, middle
        rest = text[opener[1]:middle[1]]
        if self.lang == "de" and not _DE_ACCUSED.search(rest):
            return None, middle  # "Chinesische Medien beschuldigten HSBC daher, ...": no accused after the
            #   name (only an adverb), so the name is the accused and the subject before the verb speaks
        return (opener[0], opener[1]), trim(text, (opener[1], middle[1]))

    # -- all ----------------------------------------------------------------------------------
    def extract(self, text: str, entities: list[NamedSpan] | None = None) -> list[Attribution]:
        """Direct quotes first; indirect ones that mostly repeat a direct quote are dropped."""
        entities = entities or []
        sentences = _sentences(text, self.lang)
        if not sentences:
            return []
        regions = top_level(find_quote_regions(text))
        if self.lang != "en":  # the English rules are PolNeAR's fallback and keep their regions
            regions = open_incises(text, regions, self.verbs)
        direct = self._direct(text, sentences, regions, entities)
        indirect = self._indirect(text, sentences, regions, entities)
        claims = self._noun_claims(text, sentences, regions)
        indirect = [a for a in indirect if not any(_replaced_by_claim(a, c) for c in claims)] + claims
        charges = self._charges(text, sentences, regions, entities)
        charged = {a.cue for a in charges}
        indirect = [a for a in indirect if a.cue not in charged] + charges
        indirect = [a for a in indirect if not any(_mostly_covered(a.content_extent, d.content_extent) for d in direct)]
        # "Как сообщил источник …, …": the verb inside an "according to" phrase is that phrase's cue, not a
        # second attribution of the same words
        indirect = [a for a in indirect if not any(_inside_cue(a, b) for b in indirect)]
        # a cue that closes a quotation says nothing more after its subject's comma: "„…“, sagte Juliette
        # Andrès, Direktorin für medizinische Angelegenheiten, ..." is who she is, not a second statement
        quoting = {d.cue for d in direct if d.cue is not None and d.content_extent[1] <= d.cue[0]}
        indirect = [a for a in indirect if a.cue not in quoting or a.extras.get("charge")]
        # a quoted phrase inside the statement of its own cue is part of that statement ("Belski a ajouté que la
        # Morvénie était prête ..., mais qu'elle « ne se laissera pas désigner comme coupable »"): not a quote of
        # the name before it
        direct = [d for d in direct if not any(d.cue is not None and d.cue == a.cue and a.cue is not None
                                               and _mostly_covered(d.content_extent, a.content_extent)
                                               for a in indirect)]
        # a short quoted phrase inside reported speech is part of that quote, not a quote of its own
        direct = [d for d in direct if _words(text[d.content_extent[0]:d.content_extent[1]]) >= _MIN_WORDS_UNCUED
                  or not any(_mostly_covered(d.content_extent, a.content_extent) for a in indirect)]
        if self.lang in _ABOUT_THIS:
            indirect = [a for a in indirect if not self._about_this(text, sentences, a)]
        found = sorted(direct + indirect, key=lambda a: a.content_extent)
        if self.lang != "en":
            _drop_sources_inside(found)
            _trim_trailing_dates(text, found)
            found = self._clause_contents(text, sentences, regions, found)
            found = sorted(found + self._said_before(text, sentences, regions, entities, found),
                           key=lambda a: a.content_extent)
        if self.lang == "de":
            found = sorted(found + _continuations(text, sentences, regions, found), key=lambda a: a.content_extent)
        return _inherit_sources(text, found)


def _continuations(text: str, sentences: list[_Sentence], regions: list[QuoteRegion],
                   found: list[Attribution]) -> list[Attribution]:
    """German reported speech runs on in the subjunctive without a cue of its own: "„…“, sagte er.
    Die Flugbahn, die das Militär aufgezeichnet habe, führe direkt zur Grenze." continues his
    attribution (same source) when it follows it closely."""
    out: list[Attribution] = []
    taken = [(a.content_extent[0], a.content_extent[1]) for a in found]
    taken += [a.cue for a in found if a.cue] + [(r.start, r.end) for r in regions]
    for sent in sentences:
        span = trim(text, (sent.start, sent.end))
        if span is None or any(a < span[1] and span[0] < b for a, b in taken):
            continue
        body = text[span[0]:span[1]]
        if _words(body) < 4 or not _SUBJUNCTIVE.search(body):
            continue
        earlier = [a for a in found + out if a.source is not None and a.content_extent[1] <= span[0]
                   and (a.cue is None or a.cue[1] <= span[0])]
        if not earlier:
            continue
        previous = max(earlier, key=lambda a: max(a.content_extent[1], a.cue[1] if a.cue else 0))
        end = max(previous.content_extent[1], previous.cue[1] if previous.cue else 0)
        if span[0] - end > _CONTINUATION_GAP or "\n\n" in text[end:span[0]]:
            continue
        out.append(Attribution([span], previous.source, None, kind="indirect", extras={"continues": True}))
    return out


def _adjacent(text: str, cue: Span, region: QuoteRegion) -> bool:
    between = text[cue[1]:region.start] if cue[1] <= region.start else text[region.end:cue[0]]
    return between.strip(" ,:;–—-\u00a0") == ""


def _qualified_start(text: str, start: int) -> int:
    """Where the speaker phrase of a name at `start` begins: before the noun the name qualifies ("eine
    Bewohnerin von Marn": the resident speaks, the place only says which one; a place the NER took for a
    person was the speaker before), else at the name."""
    if not _QUALIFIER_BEFORE.search(text, max(0, start - 8), start):
        return start  # the two longer scans only after "von", "of", "des" …
    m = _QUALIFIED.search(text, max(0, start - 60), start) or _ROLE_GENITIVE.search(text, max(0, start - 60), start)
    return m.start() if m is not None and m.end() == start else start


def _name_in_marks(text: str, cue: Span, region: QuoteRegion) -> bool:
    """True when the cue follows the quotation with nothing but spaces and the quoted words end without
    punctuation: reported speech is set off from a following cue by a comma or a dash ("«…», — сказал
    он", "„…“, sagte er", "“…,” she said") unless it ends in its own "?" or "!"; without either the
    marks name something (a team, a newspaper, a ship) that is the subject of the cue."""
    if cue[0] < region.end or text[region.end:cue[0]].strip():
        return False
    inner = text[region.inner[0]:region.inner[1]].rstrip()
    return bool(inner) and inner[-1].isalnum()


def _inside_cue(a: Attribution, b: Attribution) -> bool:
    """Whether `a`'s cue lies inside `b`'s longer cue ("сообщил" in "Как сообщил")."""
    return (a.cue is not None and b.cue is not None and a.cue != b.cue
            and b.cue[0] <= a.cue[0] and a.cue[1] <= b.cue[1])


def _mostly_covered(a: Span, b: Span) -> bool:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    return inter >= 0.6 * (a[1] - a[0])


def _quoted_owner(text: str, start: int, end: int) -> Span | None:
    """Who speaks in the phrase after a quoting verb: a news agency or a document there is what quotes, so
    the speaker is the one whose words they carry when the phrase names one ("цитирует ТАСС сообщение
    посольства": the embassy; "zitiert eine Mitteilung des Ministeriums": the ministry; "цитирует ТАСС
    Пескова": Peskov), else the agency itself ("― цитирует сообщение ТАСС", "― цитирует ТАСС": no person
    is named, the agency's report is the source). A document no one is named for gives `_NOBODY`."""
    agency = _AGENCY_IN.search(text, start, end)
    fallback: Span | None = None
    if agency is not None:
        rest = trim(text, (agency.end(), end))
        if rest is None:
            return agency.span()
        start, fallback = rest[0], agency.span()
    document = _DOCUMENT_LEAD.match(text, start, end)
    if document is None:
        return trim(text, (start, end))
    owner = _OWNER_LEAD.match(text, document.end(), end)
    return trim(text, (owner.end() if owner else document.end(), end)) or fallback or _NOBODY


def _heisst_es_source(text: str, cue: Span, hi: int) -> Span | None:
    """The source of "heißt es auf der Seite des Ministeriums" / "hieß es aus dem Kreml" / "heißt
    es in der Erklärung": the phrase after the preposition (a document is resolved to the
    institution that issued it by speakers.py); None when only "heißt es (weiter)" is said."""
    m = _HEISST_ES.match(text, cue[1], max(hi, cue[1]))
    if not m or not m.group(1):
        return None
    phrase = re.sub(r"^(?:auf\s+der\s+(?:Web)?[Ss]eite|aus|in|im|von|vom|seitens|vonseiten|bei|beim)\s+", "",
                    m.group(1))
    start = m.end(1) - len(phrase)
    return trim(text, (start, m.end(1)))


_LINE_END = re.compile(r"[ \t]*(?:\n|$)")
_LINE_START = re.compile(r"(?:^|\n)[ \t]*$")


def _headline(text: str, region: QuoteRegion) -> bool:
    """A quotation that is a whole line of its own and ends without a full stop, "!" or "?" (or trails off in
    "..."): a headline or section title in quotation marks ('"Dwa budynki mieszkalne zamknięte"', '"Tyle że
    prezydent Steinmeier nie powiedział..."'), which continues no one's words."""
    if not _LINE_START.search(text, max(0, region.start - 200), region.start) or not _LINE_END.match(text, region.end):
        return False
    inner = text[region.inner_start:region.inner_end].rstrip()
    return inner.endswith(("...", "…")) or not inner.endswith((".", "!", "?"))


_MONTHS = ("января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря|"
           "січня|лютого|березня|квітня|травня|червня|липня|серпня|вересня|жовтня|листопада|грудня|"
           "януари|февруари|март|април|май|юни|юли|август|септември|октомври|ноември|декември|"
           "stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|października|listopada|grudnia|"
           "Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember")
_TRAILING_DATE = re.compile(rf"(?:\s+(?:am|on|в|у|на))?\s+\d{{1,2}}\.?\s+(?:{_MONTHS})$", re.IGNORECASE)


def _trim_trailing_dates(text: str, found: list[Attribution]) -> None:
    """A date after an inverted subject is when, not who ("сообщает российское внешнеполитическое ведомство 2
    июля"): the source ends before it."""
    for a in found:
        if a.source is None:
            continue
        date = _TRAILING_DATE.search(text, a.source[0], a.source[1])
        if date is not None and date.start() > a.source[0]:
            a.source = trim(text, (a.source[0], date.start())) or a.source


def _drop_sources_inside(found: list[Attribution]) -> None:
    """A source inside the attribution's own content is a word of what was said, never who said it ("- …
    dowiaduje się, że …, kiedy Odra … jest zatruta - mówił.": the river is no speaker): the cue is then
    subjectless, and the speaker resolver gives it the speaker before, as for any bare "mówił", "added"."""
    for a in found:
        if a.source is not None and any(s <= a.source[0] < e for s, e in a.content):
            a.source = None


def _inherit_sources(text: str, found: list[Attribution]) -> list[Attribution]:
    """"Der Artikel, heißt es weiter, sehe vor …": a cue without a source continues the
    attribution before it (within a few paragraphs)."""
    previous: Attribution | None = None
    for a in sorted(found, key=lambda x: x.content_extent):
        if a.source is None and a.cue is not None and previous is not None and previous.source is not None \
                and text[a.cue[0]:a.cue[1]].lower() in {"heißt", "hieß"} \
                and a.content_extent[0] - previous.content_extent[1] < 1500:
            a.source = previous.source
        previous = a
    return found
