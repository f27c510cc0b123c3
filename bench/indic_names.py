"""How many Hindi spellings of well-known names fold to their English key (issue #14 item 3).

    PYTHONPATH=. python bench/indic_names.py [--misses]

A dev list written while choosing the rules of `echolot/text/indic.py`: 107 Hindi spellings as Hindi
news writes them (nukta kept or dropped, both spellings of Trump and Biden) with the English spelling.
A pair counts when the Hindi name's key, or its foreign-name reading (`romanize(..., loan=True)`, kept in
`NameKeys.stem_key`), equals the English key; "unidecode" is the fold before romanisation existed. Wrong
hits: a Hindi key equal to another pair's English key. Places that CLDR names in Hindi meet through the
place tables whatever this says.
"""
from __future__ import annotations

import argparse
import re

from unidecode import unidecode

from echolot.entities.canonical import _FOLD_RULES, fold_token, name_keys

PAIRS = """
पुतिन Putin|व्लादिमीर Vladimir|मोदी Modi|नरेंद्र Narendra|ट्रंप Trump|ट्रम्प Trump|डोनाल्ड Donald
बाइडेन Biden|बाइडन Biden|जो Joe|ज़ेलेंस्की Zelensky|जेलेंस्की Zelensky|वोलोदिमीर Volodymyr
ब्लिंकन Blinken|एंटनी Antony|लावरोव Lavrov|सर्गेई Sergei|शी Xi|जिनपिंग Jinping|मैक्रों Macron
शोल्ज़ Scholz|ओलाफ़ Olaf|सुनक Sunak|ऋषि Rishi|जॉनसन Johnson|बोरिस Boris|नेतन्याहू Netanyahu
बेंजामिन Benjamin|एर्दोगन Erdogan|हमास Hamas|स्टोल्टेनबर्ग Stoltenberg|कमला Kamala|हैरिस Harris
ओबामा Obama|बराक Barack|क्लिंटन Clinton|हिलेरी Hillary|मर्केल Merkel|एंजेला Angela|पेसकोव Peskov
दिमित्री Dmitry|मेदवेदेव Medvedev|शोइगु Shoigu|प्रिगोझिन Prigozhin|नवलनी Navalny
लुकाशेंको Lukashenko|कुलेबा Kuleba|यानुकोविच Yanukovych|पोरोशेंको Poroshenko|खामेनेई Khamenei
किम Kim|जयशंकर Jaishankar|राहुल Rahul|गांधी Gandhi|अमित Amit|शाह Shah|केजरीवाल Kejriwal
वाशिंगटन Washington|मॉस्को Moscow|कीव Kyiv|खारकीव Kharkiv|बखमुत Bakhmut|मारियुपोल Mariupol
डोनेत्स्क Donetsk|लुहांस्क Luhansk|क्रीमिया Crimea|ओडेसा Odesa|बर्लिन Berlin|लंदन London
पेरिस Paris|बीजिंग Beijing|दिल्ली Delhi|मुंबई Mumbai|पेंटागन Pentagon|क्रेमलिन Kremlin|गाज़ा Gaza
इज़राइल Israel|ईरान Iran|सीरिया Syria|मिश्र Mishra|इंद्र Indra|चंद्र Chandra|यूक्रेन Ukraine
नाटो NATO|बेलगोरोद Belgorod|कुर्स्क Kursk|ख्रुश्चेव Khrushchev|सोवियत Soviet|स्टालिन Stalin
लेनिन Lenin|हिटलर Hitler|गोर्बाचेव Gorbachev|येल्तसिन Yeltsin|पाकिस्तान Pakistan
अफगानिस्तान Afghanistan|बांग्लादेश Bangladesh|कश्मीर Kashmir|जर्मनी Germany|फ्रांस France
पोलैंड Poland|ज़ापोरिज़्ज़िया Zaporizhzhia|अवदिव्का Avdiivka|सीआईए CIA|एलन Elon|मस्क Musk
नवलनी Navalny|अलेक्सी Alexei
"""


def unidecode_fold(token: str) -> str:
    """The fold as it was: unidecode, then the fold rules."""
    text = re.sub(r"[^a-z0-9]", "", unidecode(token).lower())
    for pattern, repl in _FOLD_RULES:
        text = pattern.sub(repl, text)
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--misses", action="store_true", help="print the pairs that do not meet")
    args = parser.parse_args()
    pairs = [item.split(" ") for item in PAIRS.replace("\n", "|").split("|") if item.strip()]
    english = {fold_token(latin): latin for _, latin in pairs}
    before = own = either = 0
    wrong: list[tuple[str, str, str]] = []
    for hindi, latin in pairs:
        target = fold_token(latin)
        keys = name_keys(hindi)
        probes = {k for k in (keys.key, keys.stem_key) if k}
        before += unidecode_fold(hindi) == target
        own += keys.key == target
        either += target in probes
        wrong += [(hindi, latin, english[p]) for p in probes if p in english and p != target]
        if args.misses and target not in probes:
            print(f"  miss {hindi} {sorted(probes)} {latin} {target}")
    print(f"pairs {len(pairs)}: unidecode {before}, own reading {own}, own or loan reading {either}; "
          f"wrong hits {len(wrong)} {wrong}")


if __name__ == "__main__":
    main()
