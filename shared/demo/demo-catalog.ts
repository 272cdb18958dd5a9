/** The fixed part of the demo salon: the location, its team and its service menu. */
import type { Location } from '../domain/location.ts';
import type { Service, ServiceCategory } from '../domain/service.ts';
import type { Staff, StaffRole, TimeRange, WorkingHours } from '../domain/staff.ts';

export const DEMO_LOCATION_ID = 'loc-lumiere';

export function demoLocation(createdAt: string): Location {
  return {
    id: DEMO_LOCATION_ID,
    name: 'Lumière Beauty Studio',
    timeZone: 'Europe/Berlin',
    address: { line1: 'Torstraße 112', city: 'Berlin', postalCode: '10119', country: 'DE' },
    phone: '+493040051234',
    email: 'hello@lumiere-studio.example',
    countryCode: 'DE',
    currency: 'EUR',
    locale: 'de-DE',
    quietHours: { enabled: true, start: '21:00', end: '09:00' },
    // New data folders and the demo never send for real until the salon turns this off (DESIGN / issue 4 §5).
    sandboxMode: true,
    bookingUrl: 'https://lumiere-studio.example/book',
    reviewUrl: 'https://lumiere-studio.example/review',
    createdAt,
  };
}

interface ServiceDef {
  name: string;
  category: ServiceCategory;
  minutes: number;
  euros: number;
  repeatDays?: number;
  noReview?: boolean;
}

const SERVICE_DEFS: readonly ServiceDef[] = [
  { name: "Women's haircut & blow-dry", category: 'hair', minutes: 60, euros: 65, repeatDays: 42 },
  { name: "Men's haircut", category: 'hair', minutes: 30, euros: 35, repeatDays: 28 },
  { name: 'Root colour', category: 'hair', minutes: 90, euros: 85, repeatDays: 42 },
  { name: 'Balayage', category: 'hair', minutes: 180, euros: 220, repeatDays: 90 },
  { name: 'Blow-dry & styling', category: 'hair', minutes: 45, euros: 40 },
  { name: 'Keratin treatment', category: 'hair', minutes: 150, euros: 180, repeatDays: 120 },
  { name: 'Classic manicure', category: 'nails', minutes: 45, euros: 35, repeatDays: 21 },
  { name: 'Gel manicure', category: 'nails', minutes: 75, euros: 50, repeatDays: 21 },
  { name: 'Pedicure', category: 'nails', minutes: 60, euros: 48, repeatDays: 28 },
  { name: 'Gel polish removal', category: 'nails', minutes: 15, euros: 10, noReview: true },
  { name: 'Brow shaping & tint', category: 'brows', minutes: 30, euros: 32, repeatDays: 28 },
  { name: 'Brow lamination', category: 'brows', minutes: 60, euros: 59, repeatDays: 42 },
  { name: 'Lash lift & tint', category: 'lashes', minutes: 60, euros: 69, repeatDays: 42 },
  { name: 'Lash extensions refill', category: 'lashes', minutes: 75, euros: 65, repeatDays: 21 },
  { name: 'Classic massage 60 min', category: 'massage', minutes: 60, euros: 70 },
  { name: 'Deep tissue massage 90 min', category: 'massage', minutes: 90, euros: 99 },
  { name: 'Hot stone massage', category: 'massage', minutes: 75, euros: 89 },
  { name: 'Hydrating facial', category: 'skin', minutes: 60, euros: 75, repeatDays: 30 },
  { name: 'Chemical peel', category: 'skin', minutes: 45, euros: 90, repeatDays: 28 },
  { name: 'Evening make-up', category: 'makeup', minutes: 45, euros: 55 },
  { name: 'Skin consultation', category: 'skin', minutes: 15, euros: 0, noReview: true },
];

export function demoServices(createdAt: string): Service[] {
  return SERVICE_DEFS.map((d, i) => {
    const s: Service = {
      id: `svc-${String(i + 1).padStart(2, '0')}`,
      locationId: DEMO_LOCATION_ID,
      name: d.name,
      category: d.category,
      durationMinutes: d.minutes,
      priceMinor: d.euros * 100,
      excludeFromReviewRequests: d.noReview === true,
      active: true,
      createdAt,
    };
    if (d.repeatDays !== undefined) s.repeatIntervalDays = d.repeatDays;
    return s;
  });
}

const r = (start: string, end: string): TimeRange[] => [{ start, end }];
const split = (start: string, lunch: string, back: string, end: string): TimeRange[] => [
  { start, end: lunch },
  { start: back, end },
];
const OFF: TimeRange[] = [];

interface StaffDef {
  name: string;
  role: StaffRole;
  title: string;
  categories: readonly ServiceCategory[];
  hours: WorkingHours;
  email: string;
  phone: string;
  color: string;
}

const STAFF_DEFS: readonly StaffDef[] = [
  {
    name: 'Sophie Wagner',
    role: 'owner',
    title: 'Owner, senior stylist',
    categories: ['hair'],
    hours: { mon: OFF, tue: r('09:00', '17:00'), wed: r('09:00', '17:00'), thu: r('11:00', '19:00'), fri: r('09:00', '17:00'), sat: r('10:00', '15:00'), sun: OFF },
    email: 'sophie@lumiere-studio.example',
    phone: '+4915112345601',
    color: '#c2185b',
  },
  {
    name: 'Elena Petrova',
    role: 'specialist',
    title: 'Colourist',
    categories: ['hair'],
    hours: { mon: split('10:00', '14:00', '14:30', '19:00'), tue: split('10:00', '14:00', '14:30', '19:00'), wed: OFF, thu: split('10:00', '14:00', '14:30', '19:00'), fri: split('10:00', '14:00', '14:30', '19:00'), sat: r('10:00', '16:00'), sun: OFF },
    email: 'elena@lumiere-studio.example',
    phone: '+4915112345602',
    color: '#7b1fa2',
  },
  {
    name: 'Mia Schneider',
    role: 'specialist',
    title: 'Nail technician',
    categories: ['nails'],
    hours: { mon: r('09:00', '17:00'), tue: r('09:00', '17:00'), wed: r('09:00', '17:00'), thu: r('12:00', '20:00'), fri: r('09:00', '17:00'), sat: OFF, sun: OFF },
    email: 'mia@lumiere-studio.example',
    phone: '+4915112345603',
    color: '#1976d2',
  },
  {
    name: 'Olga Smirnova',
    role: 'specialist',
    title: 'Brow & lash artist',
    categories: ['brows', 'lashes', 'makeup'],
    hours: { mon: OFF, tue: r('10:00', '18:00'), wed: r('10:00', '18:00'), thu: r('10:00', '18:00'), fri: r('12:00', '20:00'), sat: r('10:00', '16:00'), sun: OFF },
    email: 'olga@lumiere-studio.example',
    phone: '+4915112345604',
    color: '#00897b',
  },
  {
    name: 'Lukas Becker',
    role: 'specialist',
    title: 'Massage therapist',
    categories: ['massage'],
    hours: { mon: r('12:00', '20:00'), tue: OFF, wed: r('12:00', '20:00'), thu: r('12:00', '20:00'), fri: r('10:00', '18:00'), sat: r('10:00', '16:00'), sun: OFF },
    email: 'lukas@lumiere-studio.example',
    phone: '+4915112345605',
    color: '#f57c00',
  },
  {
    name: 'Clara Hoffmann',
    role: 'manager',
    title: 'Cosmetologist, studio manager',
    categories: ['skin', 'makeup'],
    hours: { mon: split('09:00', '13:00', '13:30', '17:00'), tue: split('09:00', '13:00', '13:30', '17:00'), wed: split('09:00', '13:00', '13:30', '17:00'), thu: OFF, fri: split('09:00', '13:00', '13:30', '17:00'), sat: OFF, sun: OFF },
    email: 'clara@lumiere-studio.example',
    phone: '+4915112345606',
    color: '#5d4037',
  },
  {
    name: 'Nora Klein',
    role: 'receptionist',
    title: 'Front desk',
    categories: [],
    hours: { mon: r('09:00', '20:00'), tue: r('09:00', '20:00'), wed: r('09:00', '20:00'), thu: r('09:00', '20:00'), fri: r('09:00', '20:00'), sat: r('10:00', '16:00'), sun: OFF },
    email: 'desk@lumiere-studio.example',
    phone: '+4915112345607',
    color: '#455a64',
  },
];

export function demoStaff(services: readonly Service[], createdAt: string): Staff[] {
  return STAFF_DEFS.map((d, i) => ({
    id: `staff-${String(i + 1).padStart(2, '0')}`,
    locationId: DEMO_LOCATION_ID,
    name: d.name,
    role: d.role,
    title: d.title,
    serviceIds: services.filter((s) => d.categories.includes(s.category)).map((s) => s.id),
    workingHours: d.hours,
    // Specialists want to hear about cancellations of their visits; the front desk sees the notification center.
    desktopToasts: d.role !== 'receptionist',
    email: d.email,
    phone: d.phone,
    color: d.color,
    active: true,
    createdAt,
  }));
}
